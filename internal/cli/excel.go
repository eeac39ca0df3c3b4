package cli

import (
	"bufio"
	"encoding/csv"
	"io"
)

// excelCSV writes the CSV that write produces (review's exports: RFC 4180,
// comma-separated UTF-8 without a byte order mark, what R, pandas and
// LibreOffice read) re-encoded for a spreadsheet in a French locale: a
// UTF-8 byte order mark, without which Excel reads the accents as
// Windows-1252, fields separated by semicolons, as Excel expects where the
// comma is the decimal mark, and CRLF line ends. Only the encoding changes:
// the fields, their order and their quoting are review's, read back and
// written again one record at a time.
func excelCSV(w io.Writer, write func(io.Writer) error) error {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(write(pw)) }()
	r := csv.NewReader(pr)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	cw.UseCRLF = true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			pr.CloseWithError(err)
			return err
		}
		if err := cw.Write(rec); err != nil {
			pr.CloseWithError(err)
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
