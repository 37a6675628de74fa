package press

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// The press databases offer RTF downloads besides HTML: Factiva ("Rich
// Text Format", one table row per field in the coded display) and
// LexisNexis. rtfText turns one into plain text, which the text readers
// then read: paragraphs (\par) and table rows (\row) end lines, table
// cells (\cell) and \tab become tabs, \'xx bytes are decoded by the
// document's code page (\ansicpgN, Windows-1252 by default), \uN is a
// Unicode character (its \ucN fallback bytes skipped), and the
// destinations that hold no text (font and colour tables, style sheets,
// document info, pictures, fields' instructions, \* groups) are dropped.

// isRTF reports whether data starts like an RTF document.
func isRTF(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n"), []byte(`{\rtf`))
}

// rtfSkipped are the destinations whose text is not the document's.
var rtfSkipped = map[string]bool{
	"fonttbl": true, "colortbl": true, "stylesheet": true, "info": true, "pict": true, "fldinst": true,
	"header": true, "headerl": true, "headerr": true, "headerf": true, "footer": true, "footerl": true,
	"footerr": true, "footerf": true, "listtable": true, "listoverridetable": true, "rsidtbl": true,
	"generator": true, "themedata": true, "colorschememapping": true, "latentstyles": true,
	"datastore": true, "xmlnstbl": true, "object": true, "objdata": true, "filetbl": true,
	"revtbl": true, "pgdsctbl": true, "bkmkstart": true, "bkmkend": true,
}

// rtfSymbols are the control words that stand for text.
var rtfSymbols = map[string]string{
	"par": "\n", "line": "\n", "row": "\n", "sect": "\n\n", "page": "\n\n", "cell": "\t", "tab": "\t",
	"emdash": "—", "endash": "–", "emspace": " ", "enspace": " ", "qmspace": " ", "bullet": "•",
	"lquote": "‘", "rquote": "’", "ldblquote": "“", "rdblquote": "”", "~": "\u00a0",
}

// maxRTFDepth bounds the nesting of groups.
const maxRTFDepth = 512

// rtfText returns the text of an RTF document.
func rtfText(data []byte) (string, error) {
	type state struct {
		skip   bool
		ucskip int
	}
	var (
		out     strings.Builder
		stack   []state
		cur     = state{ucskip: 1}
		pending int // fallback bytes still to skip after a \u
		dec     = charmap.Windows1252.NewDecoder()
		bytesIn []byte // \'xx bytes not yet decoded
		line    = 1
	)
	flush := func() {
		if len(bytesIn) > 0 {
			if s, err := dec.Bytes(bytesIn); err == nil {
				out.Write(s)
			}
			bytesIn = bytesIn[:0]
		}
	}
	write := func(s string) {
		flush()
		if !cur.skip {
			out.WriteString(s)
		}
	}
	i := 0
	for i < len(data) {
		c := data[i]
		switch c {
		case '{':
			if len(stack) >= maxRTFDepth {
				return "", fmt.Errorf("line %d: RTF groups nested deeper than %d", line, maxRTFDepth)
			}
			stack = append(stack, cur)
			pending = 0
			i++
		case '}':
			if len(stack) == 0 {
				return "", fmt.Errorf("line %d: unbalanced } in RTF", line)
			}
			flush()
			cur = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			pending = 0
			i++
		case '\r', '\n':
			if c == '\n' {
				line++
			}
			i++
		case '\\':
			i++
			if i >= len(data) {
				break
			}
			c = data[i]
			switch {
			case c == '\'' && i+2 < len(data):
				b, err := strconv.ParseUint(string(data[i+1:i+3]), 16, 8)
				i += 3
				if err != nil {
					continue
				}
				if pending > 0 {
					pending--
					continue
				}
				if !cur.skip {
					bytesIn = append(bytesIn, byte(b))
				}
			case c == '*':
				cur.skip = true
				i++
			case c == '\\' || c == '{' || c == '}':
				write(string(c))
				i++
			case c == '~':
				write("\u00a0")
				i++
			case c == '-' || c == '_':
				i++ // optional and non-breaking hyphens
			case c == '\r' || c == '\n':
				write("\n")
				i++
			case isASCIILetter(c):
				start := i
				for i < len(data) && isASCIILetter(data[i]) {
					i++
				}
				word := string(data[start:i])
				numStart := i
				if i < len(data) && data[i] == '-' {
					i++
				}
				for i < len(data) && data[i] >= '0' && data[i] <= '9' {
					i++
				}
				arg, hasArg := 0, i > numStart
				if hasArg {
					arg, _ = strconv.Atoi(string(data[numStart:i]))
				}
				if i < len(data) && data[i] == ' ' {
					i++ // the delimiter belongs to the control word
				}
				switch {
				case rtfSkipped[word]:
					cur.skip = true
				case word == "ansicpg" && hasArg:
					if enc := codePage(arg); enc != nil {
						dec = enc.NewDecoder()
					}
				case word == "uc" && hasArg:
					cur.ucskip = arg
				case word == "u" && hasArg:
					if arg < 0 {
						arg += 0x10000
					}
					write(string(rune(arg)))
					pending = cur.ucskip
				case rtfSymbols[word] != "":
					write(rtfSymbols[word])
				case word == "bin" && hasArg && arg > 0:
					i += min(arg, len(data)-i) // binary data
				}
			default:
				i++
			}
		default:
			if pending > 0 {
				pending--
				i++
				continue
			}
			start := i
			for i < len(data) && data[i] != '\\' && data[i] != '{' && data[i] != '}' && data[i] != '\r' && data[i] != '\n' {
				i++
			}
			write(string(data[start:i]))
		}
	}
	flush()
	return out.String(), nil
}

// isASCIILetter reports whether c is an ASCII letter.
func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// codePage returns the encoding of a Windows code page, or nil.
func codePage(n int) encoding.Encoding {
	switch n {
	case 1250:
		return charmap.Windows1250
	case 1251:
		return charmap.Windows1251
	case 1252:
		return charmap.Windows1252
	case 1253:
		return charmap.Windows1253
	case 1254:
		return charmap.Windows1254
	case 1257:
		return charmap.Windows1257
	case 437:
		return charmap.CodePage437
	case 850:
		return charmap.CodePage850
	case 10000:
		return charmap.Macintosh
	case 28591:
		return charmap.ISO8859_1
	case 28605:
		return charmap.ISO8859_15
	}
	return nil
}
