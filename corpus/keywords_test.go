package corpus

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestCriteriaKeywords checks that every criteria format gives a
// criterion's keywords, in the ways a person writes them.
func TestCriteriaKeywords(t *testing.T) {
	sanctions := []string{"avertissement", "rappel à l'ordre", "médiation", "exclusion temporaire"}
	tests := []struct {
		name, file, data string
		want             map[string][]string // criterion → keywords
		desc             string              // C5's description
	}{
		{
			name: "markdown, French line under the description", file: "c.md",
			data: "## C5 — Des sanctions graduées\nUn manquement appelle d'abord un rappel.\nMots-clés : avertissement, rappel à l'ordre ; médiation, exclusion temporaire\n\n## C6 — Régler les désaccords\nDes moyens simples.\n",
			want: map[string][]string{"C5": sanctions, "C6": nil}, desc: "Un manquement appelle d'abord un rappel.",
		},
		{
			name: "markdown, English, bold, as a list item, over two lines", file: "c.md",
			data: "## C5 — Graduated sanctions\nA first breach gets a reminder.\n\n- **Keywords:** avertissement, rappel à l'ordre\nmots cles : médiation, exclusion temporaire, médiation\n",
			want: map[string][]string{"C5": sanctions}, desc: "A first breach gets a reminder.",
		},
		{
			name: "csv, keywords column", file: "c.csv",
			data: "id,title,description,keywords\nC5,Des sanctions graduées,Un rappel d'abord.,\"avertissement, rappel à l'ordre; médiation, exclusion temporaire\"\nC6,Désaccords,Simple.,\n",
			want: map[string][]string{"C5": sanctions, "C6": nil}, desc: "Un rappel d'abord.",
		},
		{
			name: "csv, French mots-clés column first", file: "c.csv",
			data: "Mots-clés,id,title\n\"avertissement, rappel à l'ordre, médiation, exclusion temporaire\",C5,Des sanctions graduées\n",
			want: map[string][]string{"C5": sanctions},
		},
		{
			name: "yaml, a list", file: "c.yaml",
			data: "- id: C5\n  title: Des sanctions graduées\n  description: Un rappel d'abord.\n  keywords:\n    - avertissement\n    - rappel à l'ordre\n    - médiation\n    - exclusion temporaire\n",
			want: map[string][]string{"C5": sanctions}, desc: "Un rappel d'abord.",
		},
		{
			name: "yaml, a text under mots-clés", file: "c.yml",
			data: "criteria:\n  - id: C5\n    title: Des sanctions graduées\n    mots-clés: avertissement, rappel à l'ordre, médiation, exclusion temporaire\n",
			want: map[string][]string{"C5": sanctions},
		},
		{
			name: "json, a list", file: "c.json",
			data: `[{"id": "C5", "title": "Des sanctions graduées", "description": "Un rappel d'abord.", "keywords": ["avertissement", "rappel à l'ordre", "médiation", "exclusion temporaire"]}]`,
			want: map[string][]string{"C5": sanctions}, desc: "Un rappel d'abord.",
		},
		{
			name: "json, a text", file: "c.json",
			data: `{"criteria": [{"id": "C5", "title": "Des sanctions graduées", "keywords": "avertissement; rappel à l'ordre; médiation; exclusion temporaire"}]}`,
			want: map[string][]string{"C5": sanctions},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			crit, probs := ReadCriteria(path)
			if len(probs) > 0 {
				t.Fatalf("problems: %v", probs)
			}
			got := map[string][]string{}
			for _, c := range crit {
				got[c.ID] = c.Keywords
				if c.ID == "C5" && c.Description != tc.desc {
					t.Errorf("description %q, want %q (the keywords line is not part of it)", c.Description, tc.desc)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("keywords %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCriteriaKeywordsNotText checks that a keyword that is not text is a
// problem naming the criterion, in YAML and JSON.
func TestCriteriaKeywordsNotText(t *testing.T) {
	for file, data := range map[string]string{
		"c.yaml": "- id: C5\n  title: Sanctions\n  keywords:\n    - {a: b}\n",
		"c.json": `[{"id": "C5", "title": "Sanctions", "keywords": [3]}]`,
	} {
		path := filepath.Join(t.TempDir(), file)
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		_, probs := ReadCriteria(path)
		if len(probs) != 1 || probs[0].Reason != "criterion #1: each keyword must be text" {
			t.Errorf("%s: problems %v", file, probs)
		}
	}
}
