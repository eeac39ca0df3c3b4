#!/bin/sh
# Regenerates the .odt and .docx fixtures of package corpus with LibreOffice,
# as an association's word processor writes them, from the HTML sources
# beside this script. The tests only read the resulting files; this script
# needs LibreOffice Writer:  apt-get install -y libreoffice-writer-nogui
# (made with LibreOffice 7.4.7.2, Debian 12).
set -eu
cd "$(dirname "$0")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
lo() { soffice -env:UserInstallation="file://$profile" --headless "$@" >/dev/null; }

# A short report: headings, a footnote, a list and a table.
lo --convert-to odt rapport.html
lo --convert-to 'docx:MS Word 2007 XML' rapport.html

# Three sections of 25 articles on several pages: LibreOffice records in
# the .odt where its layout broke the pages (text:soft-page-break); its
# .docx does not (Word would, with w:lastRenderedPageBreak).
lo --convert-to odt charte.html
lo --convert-to 'docx:MS Word 2007 XML' charte.odt
