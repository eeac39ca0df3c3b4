#!/bin/sh
# Regenerates the PDF fixtures of package corpus from the groff sources
# beside this script. The tests only read the resulting files; this script
# needs groff (with gropdf) and qpdf:  apt-get install -y groff qpdf
set -eu
cd "$(dirname "$0")"

# Two pages of French with accents, the ligatures fi and œ and a heading on
# each page. rapport.pdf has a metadata title; sans-titre.pdf has none, so
# its title comes from the first line of page 1.
groff -Kutf8 -mspdf -Tpdf rapport.ms > rapport.pdf
groff -Kutf8 -ms -Tpdf sans-titre.ms > sans-titre.pdf

# Narrow lines, so that troff hyphenates a word across a line end.
groff -Kutf8 -ms -Tpdf cesure.ms > cesure.pdf 2>/dev/null

# The same document cut in the middle, as an interrupted download leaves it.
size=$(wc -c < rapport.pdf)
head -c $((size / 2)) rapport.pdf > tronque.pdf

# Encrypted with a user password: it cannot be read without it.
qpdf --encrypt secret secret 256 -- rapport.pdf chiffre.pdf

# A text file with a .pdf name.
printf 'Ceci est un fichier texte, pas un PDF.\n' > texte.pdf
