package cli

import "regexp"

// placeholderFR is the French of the placeholders the usage lines and the
// flags' listing write in capitals: the French help said NAME, FILE and
// COMMAND in the middle of French sentences.
var placeholderFR = map[string]string{
	"NAME": "NOM", "FILE": "FICHIER", "COMMAND": "COMMANDE", "DIR": "DOSSIER",
	"ADDR": "ADRESSE", "DOC": "DOC", "WHO": "QUI", "MODEL": "MODÈLE",
	"OLD-EXPORT": "ANCIEN-EXPORT", "FORMAT": "FORMAT", "CODE": "CODE",
	"RECEIPT": "REÇU",
}

// placeholderWord is a word in capitals (with dashes), not inside another.
var placeholderWord = regexp.MustCompile(`\b[A-Z][A-Z-]*[A-Z]\b`)

// placeholders writes the capitals of a usage line in the user's language.
func (a *app) placeholders(s string) string {
	if a.lang != "fr" {
		return s
	}
	return placeholderWord.ReplaceAllStringFunc(s, func(w string) string {
		if fr, ok := placeholderFR[w]; ok {
			return fr
		}
		return w
	})
}
