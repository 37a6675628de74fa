package htmltext

import (
	"strings"
	"testing"
)

func TestFragment(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		blank bool
		want  []string
	}{
		{"paragraphs", "<p>Un <em>premier</em> paragraphe.</p><p>Un second&nbsp;!</p>", false,
			[]string{"Un premier paragraphe.", "Un second !"}},
		{"blocks and lists", "<h2>Titre</h2><ul><li>un</li><li>deux <b>gras</b></li></ul><blockquote><p>Citation.</p></blockquote>", false,
			[]string{"Titre", "un", "deux gras", "Citation."}},
		{"scripts, styles, embeds dropped", `<p>Avant</p><script>var x = "<p>";</script><style>p{}</style><iframe src="https://youtube.com/x"></iframe>` +
			`<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">https://youtu.be/x</div></figure>` +
			`<blockquote class="twitter-tweet"><p>tweet</p></blockquote><p>Après <img src="a.png" alt="photo"></p>`, false,
			[]string{"Avant", "Après"}},
		{"block comments", "<!-- wp:paragraph -->\n<p>Texte</p>\n<!-- /wp:paragraph -->", false, []string{"Texte"}},
		{"classic editor blank lines", "Premier paragraphe\nsur deux lignes.\n\nSecond <strong>paragraphe</strong>.\r\n\r\n<ul>\n<li>point</li>\n</ul>", true,
			[]string{"Premier paragraphe sur deux lignes.", "Second paragraphe.", "point"}},
		{"br", "un<br>deux<br/>trois", true, []string{"un deux trois"}},
		{"table", "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>", false, []string{"A | B", "1 | 2"}},
		{"unclosed markup", "<p>ouvert <b>gras <i>italique", false, []string{"ouvert gras italique"}},
		{"empty", "  <p> </p> ", false, nil},
	}
	for _, tt := range tests {
		got := Fragment(tt.in, Options{BlankLines: tt.blank})
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") || len(got) != len(tt.want) {
			t.Errorf("%s: Fragment(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestRead(t *testing.T) {
	got, err := Read(strings.NewReader("<!DOCTYPE html><html><head><title>T</title><style>x</style></head><body><p>Corps</p></body></html>"), Options{})
	if err != nil || len(got) != 1 || got[0] != "Corps" {
		t.Errorf("Read = %q, %v, want [Corps]", got, err)
	}
}
