package corpus

import "testing"

func TestJoinLines(t *testing.T) {
	tests := []struct {
		lines []string
		want  string
	}{
		{[]string{"les micro-travail-", "leurs du clic"}, "les micro-travailleurs du clic"},
		{[]string{"le micro-", "travail"}, "le microtravail"},
		{[]string{"Uber-", "Eats"}, "Uber- Eats"},
		{[]string{"fin de phrase -", "suite"}, "fin de phrase - suite"},
		{[]string{"é-", "été"}, "éété"},
		{[]string{"-", "a"}, "- a"},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := JoinLines(tt.lines, " "); got != tt.want {
			t.Errorf("JoinLines(%q) = %q, want %q", tt.lines, got, tt.want)
		}
	}
	if got := JoinLines([]string{"a", "b"}, "\n"); got != "a\nb" {
		t.Errorf("JoinLines with a newline = %q", got)
	}
}
