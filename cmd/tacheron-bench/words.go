package main

// The real words of the generator's lexicons, most frequent first. They are
// constants split when a lexicon is built, so the program holds no mutable
// package state. Concept variants of the taxonomy are kept out of these
// lists: concepts enter the text only where the generator puts them, at the
// rates it chooses.

// frenchFunctionWords are French function words, roughly by frequency. The
// elidable ones (le, la, de, que, ne, se, ce, je, me, te, jusque, lorsque,
// puisque) are elided before a vowel.
const frenchFunctionWords = `de la le et les des en un à du une que est pour qui dans a par plus pas
au sur ne se ce il sont avec ou son aux mais nous comme elle on leur ont été sa ces cette fait ils y
être tout ses sans si entre peut deux même aussi bien où dont leurs très encore autres tous était donc
alors faire avoir non lui sous depuis vers après contre avant moins autre toutes chez selon ainsi notre
vous je elles quand toujours jamais parce comment pourquoi là ici car puis déjà trop peu beaucoup
chaque plusieurs certains quelques rien tant lors pendant cela ceci celui celle ceux mon ma mes votre
nos me te jusque lorsque puisque`

// frenchContentWords are frequent French content words of the field,
// roughly by frequency.
const frenchContentWords = `travail travailleurs numérique économie société entreprises recherche
utilisateurs salariés emploi modèle question monde public politique social sociale marché réseau
technologies système valeur production activité services chercheurs livre article sociologue enquête
étude rapport conférence débat entretien auteur histoire temps ans années pays internet usagers
personnes tâches revenus rémunération statut indépendants chauffeurs livreurs coursiers clients
consommateurs capital profit pouvoir contrôle logiciels applications outils contenus informations
vidéos photos images textes messages commentaires profils comptes moteur serveurs
infrastructures industrie secteur groupe acteurs institutions État gouvernement ministère législation
réglementation régulation justice tribunal décision jugement cour protection droits obligations
responsabilité transparence sociologie anthropologie philosophie théorie concept notion analyse
critique approche méthode terrain observation entretiens questionnaire chiffres statistiques
estimation millions milliards euros dollars prix coût salaire heures journée semaine mois
précarité exploitation aliénation autonomie liberté flexibilité dépendance fatigue santé stress
formation compétences qualification métier métiers professions carrière chômage retraite assurance
cotisations impôts fiscalité redistribution inégalités pauvreté richesse classe classes ouvriers
cadres patrons employeurs managers direction organisation gestion performance productivité
innovation startups investisseurs financement croissance concurrence monopole stratégie
mondialisation délocalisation externalisation sous-traitance filiales émergents
Afrique Asie Amérique Europe villes territoires quartiers domicile bureau usine entrepôt
transport mobilité voitures vélos restaurants repas commandes livraisons courses trajets
annotation étiquetage transcription traduction classement vérification évaluation notation
recommandation ciblage publicité annonceurs marketing audience visibilité attention engagement
communauté participation contribution collaboration coopération partage échange don gratuité
bénévolat loisir plaisir jeu jeux amateurs passionnés créateurs artistes musiciens écrivains
journalistes médias presse télévision radio émission podcast documentaire film ouvrage revue
colloque journée séminaire atelier cours université école étudiants enseignants doctorants
laboratoire projet programme financement européen national international local global mondial
nouveau nouvelle nouveaux grande grand petit petite premier première dernier dernière
important importante possible nécessaire différent différents général principal humain humains
humaine machines robots ordinateurs écrans téléphones capteurs objets calcul puissance vitesse
future avenir passé présent siècle génération jeunes femmes hommes enfants famille vie quotidien`

// englishFunctionWords are English function words, roughly by frequency.
const englishFunctionWords = `the of and to a in is that for it as with on are this by be from or
have an they which not at their was but we has can more will its these all about who what how there
been other into also than so when most some would our them such only new between were many over
through those because both where while without very even much each may could should under`

// englishContentWords are frequent English content words of the field.
const englishContentWords = `work workers labor data users economy companies research people social
jobs tasks wages market technology value model study report book interview online internet workforce
income employment contractors freelancers drivers couriers capital power policy government
regulation rights law court ruling decision workers employers employees managers management
productivity innovation startups investors growth competition monopoly strategy globalization
outsourcing annotation labeling transcription translation rating evaluation recommendation
advertising advertisers marketing audience attention engagement community participation
contribution collaboration sharing free hobby play creators artists writers journalists media press
television radio podcast documentary film article essay paper conference workshop seminar course
university students scholars lab project program funding european national international global
local new large small first last important possible different general human humans machines
robots computers screens phones sensors objects computing speed future past present century
generation young women men children family life everyday precarity exploitation autonomy freedom
flexibility dependence fatigue health stress training skills qualification job careers
unemployment retirement insurance taxes inequality poverty wealth class workers bosses`

// frenchCompounds are real French hyphenated compounds.
const frenchCompounds = `micro-travail micro-travailleurs plates-formes plate-formes peut-être
c’est-à-dire au-delà sous-traitance sous-traitants auto-entrepreneur auto-entrepreneurs
micro-entrepreneur micro-entreprise porte-parole après-midi vis-à-vis grand-chose start-up
open-source e-mail néo-libéral néo-libéralisme post-industriel anti-ubérisation libre-service
non-salariés semi-automatique multi-plateformes co-construction contre-pouvoir arrière-plan
savoir-faire main-d’œuvre chef-d’œuvre Île-de-France Saint-Denis Grande-Bretagne États-Unis
Nouvelle-Zélande cyber-militants hyper-connectés méta-données pré-requis socio-économique
technico-économique auto-organisation soi-disant`

// englishCompounds are real English hyphenated compounds.
const englishCompounds = `on-demand self-employed crowd-sourced gig-work full-time part-time
low-paid high-tech long-term short-term real-time open-source e-commerce so-called
well-being decision-making data-driven user-generated machine-readable fine-tuning`

// compoundPrefixes make new hyphenated compounds with a content word.
const compoundPrefixes = `micro auto co néo post pré anti sous sur contre non semi multi inter
méta hyper e cyber crypto éco socio techno`

// frenchCollocations are frequent multi-word expressions (the phrase
// queries use them).
const frenchCollocations = `conditions de travail|sciences sociales|chaîne de valeur|mise en relation|
pouvoir d’achat|temps partiel|service public|sécurité sociale|code source|ressources humaines|
marché du travail|classe ouvrière|travail gratuit|lutte des classes|mouvement social|
liberté d’expression|société civile|économie numérique`

// englishCollocations are frequent English multi-word expressions.
const englishCollocations = `working conditions|social sciences|value chain|supply chain|
minimum standards|human rights|public policy|civil society|labor market|working class|
social movement|free speech|digital economy`

// properNouns are people, organisations and places of the field.
const properNouns = `Casilli|Antonio Casilli|Paola Tubaro|Srnicek|Trebor Scholz|Mary Gray|Siddharth Suri|
Lilly Irani|Shoshana Zuboff|Evgeny Morozov|Dominique Cardon|Alain Supiot|Bernard Stiegler|Marx|
Uber|Amazon|Google|Microsoft|Apple|Foodora|Instacart|TaskRabbit|Clickworker|Appen|Lionbridge|
Foule Factory|Paris|Lyon|Marseille|Bruxelles|Genève|Montréal|Madagascar|Philippines|Kenya|Inde|
Venezuela|Californie|Silicon Valley|Europe|Sénat|CNIL|OIT|INRIA|CNRS|Télécom ParisTech|
Sciences Po|Commission européenne|Parlement européen|Conseil d’État|Cour de cassation|Berlin|
Londres|New York|San Francisco|Seattle|Nairobi|Manille|Antananarivo|Bangalore|Caracas|
Jeff Bezos|Mark Zuckerberg|Travis Kalanick|Emmanuel Macron|Marie Dupont|Jean Martin`

// sources are the ~40 outlets of the corpus: name|language|type, where the
// type is blog, press or broadcast.
const sources = `Antonio A. Casilli|fr|blog
Le Monde|fr|press
Libération|fr|press
Le Figaro|fr|press
Les Echos|fr|press
Mediapart|fr|press
L’Humanité|fr|press
Le Parisien|fr|press
La Croix|fr|press
L’Obs|fr|press
L’Express|fr|press
Le Point|fr|press
Télérama|fr|press
Les Inrockuptibles|fr|press
Alternatives Économiques|fr|press
Usbek & Rica|fr|press
InternetActu|fr|blog
Numerama|fr|press
Rue89|fr|press
Slate.fr|fr|press
France Culture|fr|broadcast
France Inter|fr|broadcast
Arte|fr|broadcast
RFI|fr|broadcast
France 24|fr|broadcast
Le Temps|fr|press
Le Devoir|fr|press
La Tribune|fr|press
Socialter|fr|press
AOC|fr|press
Paola Tubaro|fr|blog
The Guardian|en|press
The New York Times|en|press
Wired|en|press
The Atlantic|en|press
Financial Times|en|press
The Verge|en|press
Vice|en|press
BBC|en|broadcast
Fairwork|en|blog`

// frenchSyllables make French pseudo-words; the seed permutes them.
const frenchSyllables = `ba be bi bo bu ca ce ci co cu da dé di do du fa fé fi fo ga gé gi go la lé li
lo lu ma mé mi mo mu na né ni no pa pé pi po pu ra ré ri ro ru sa sé si so su ta té ti to tu va vé vi vo
cha che chi gra gre pra pri pro tra tri tro bla cla fla plu bri cri dra fra gri an en in on or ar ès oi
eau ou qua que gne ille ran ron ten son mar per ver ser tour vel cè dè tê rô lè`

// frenchEndings end French pseudo-words (empty ones leave the stem bare).
const frenchEndings = `- - - tion ment age ique eur euse isme iste ité ance ence el elle ier ière
oire ée é er ir ant able if ive ure ette ois aise`

// englishSyllables make English pseudo-words.
const englishSyllables = `ba be bi bo bu ca co cu da de di do fa fe fi fo ga ge go ha he hi ho ja ka
ke ki la le li lo lu ma me mi mo mu na ne ni no pa pe pi po ra re ri ro ru sa se si so su ta te ti to
tu va ve vi wa we wi ya za ther ster ston ham ford ling ber der ker per ter wor win stra stri blo cla
fro gra pri tra shi sha cho thi`

// englishEndings end English pseudo-words.
const englishEndings = `- - - ing er ers ness ity ment tion al ly ive ism ist able ed ful less ship
hood ize ance`

// nameEndings end pseudo proper nouns.
const nameEndings = `- - i o ez ov son berg ini ard ier ais ski`
