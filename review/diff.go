package review

import "strings"

// WordDiff describes how b rewords a, word by word, in the notation of
// `git diff --word-diff`: removed words as [-…-], added ones as {+…+}. A
// researcher reads how people rephrase the AI from it, so it favours
// readability over minimality.
func WordDiff(a, b string) string {
	var out []string
	for _, op := range WordOps(a, b) {
		switch op.Op {
		case '-':
			out = append(out, "[-"+op.Text+"-]")
		case '+':
			out = append(out, "{+"+op.Text+"+}")
		default:
			out = append(out, op.Text)
		}
	}
	return strings.Join(out, " ")
}

// DiffOp is one run of words of a rewording, for screens that show it in
// plain words (struck through, or "before / after") rather than in
// WordDiff's notation, which a statement could itself contain.
type DiffOp struct {
	Op   byte // '=' kept, '-' removed, '+' added
	Text string
}

// WordOps returns, in order, the words that b keeps from a (one run per
// word) and the runs of words it removes and adds, from the longest common
// subsequence of their words; within a change, the removed run comes
// before the added one.
func WordOps(a, b string) []DiffOp {
	x, y := strings.Fields(a), strings.Fields(b)
	// Longest common subsequence of words; statements are short.
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []DiffOp
	var del, add []string
	flush := func() {
		if len(del) > 0 {
			ops = append(ops, DiffOp{'-', strings.Join(del, " ")})
		}
		if len(add) > 0 {
			ops = append(ops, DiffOp{'+', strings.Join(add, " ")})
		}
		del, add = nil, nil
	}
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			flush()
			ops = append(ops, DiffOp{'=', x[i]})
			i, j = i+1, j+1
		case j < len(y) && (i == len(x) || lcs[i][j+1] >= lcs[i+1][j]):
			add = append(add, y[j])
			j++
		default:
			del = append(del, x[i])
			i++
		}
	}
	flush()
	return ops
}
