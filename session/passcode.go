package session

import (
	"crypto/rand"
	"math/big"
	"strings"
)

// MinPasscodeLen is the shortest passcode a server accepts: with the
// guard's limits (see defaultGuard), six characters are out of reach of
// guessing for a workshop's length; fewer are not.
const MinPasscodeLen = 6

// commonPasscodes are passcodes a guesser tries first: the usual lists'
// head, in French and English, and the words of this program.
var commonPasscodes = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`123456 1234567 12345678 123456789 1234567890 000000 111111 123123 654321
		121212 112233 666666 696969 abcdef abc123 azerty azertyuiop qwerty qwertyuiop password passw0rd
		password1 motdepasse secret bonjour soleil coucou doudou chouchou loulou marseille nicolas
		iloveyou jetaime letmein welcome monkey dragon football sunshine princess admin123 changeme
		revue review atelier workshop passcode codeacces participant animation facilitator`) {
		commonPasscodes[p] = true
	}
}

// PasscodeWeakness says why a passcode is too weak to open a room with:
// "short" (fewer than MinPasscodeLen characters), "common" (in a list
// guessers try first), or "" when it will do.
func PasscodeWeakness(code string) string {
	switch {
	case len([]rune(code)) < MinPasscodeLen:
		return "short"
	case commonPasscodes[strings.ToLower(code)]:
		return "common"
	}
	return ""
}

// NewPasscode draws a passcode that is easy to say aloud and to type: four
// syllables of a consonant and a vowel ("bakolimu"), without the letters a
// room confuses when it hears them. 14 consonants and 5 vowels make 70^4,
// about 24 million passcodes: with the guard's budget of 90 checks a
// minute for the whole server, guessing one takes months.
func NewPasscode() string {
	const consonants, vowels = "bdfgklmnprstvz", "aeiou"
	var b strings.Builder
	for range 4 {
		b.WriteByte(consonants[randN(len(consonants))])
		b.WriteByte(vowels[randN(len(vowels))])
	}
	return b.String()
}

func randN(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return int(v.Int64())
}
