package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
)

// Limits bound what one uploaded file may cost to read.
type Limits struct {
	MaxBytes        int64 // the file as uploaded
	MaxUncompressed int64 // the sum of an xlsx's parts once unzipped (zip bombs)
	MaxRows         int   // rows in all visible sheets together
	MaxCells        int   // non-empty and empty cells within rows, all sheets together
	MaxStrings      int   // distinct texts of an xlsx (its shared strings), counted before parsing
}

// DefaultLimits fit a 100,000-row report workbook with room to spare: twice the rows, and 25
// cells a row (the widest template, onboarding's contracts, has 22 columns).
var DefaultLimits = Limits{MaxBytes: 64 << 20, MaxUncompressed: 512 << 20, MaxRows: 200_000, MaxCells: 200_000 * 25,
	MaxStrings: 1_000_000}

// Table is one sheet's rows as text. Row i of Rows is row i+1 in the spreadsheet, so errors can
// name the row a person sees.
type Table struct {
	Sheet string
	Rows  [][]string
}

// Read opens an uploaded xlsx workbook or CSV file and returns its visible sheets. Formula cells
// give their cached values, dates their serial numbers, and blank trailing rows are dropped. A
// cell no database stores alike (a NUL character, more than 4,000 characters) refuses the file,
// naming the cell.
func Read(data []byte, lim Limits) ([]Table, error) {
	tables, err := read(data, lim)
	if err != nil {
		return nil, err
	}
	return tables, checkCells(tables)
}

// checkCells refuses the first cell whose text could not be stored as it is.
func checkCells(tables []Table) error {
	for _, t := range tables {
		for r, row := range t.Rows {
			for c, cell := range row {
				if check.Storable(cell) {
					continue // the cell's name is made only for a message: a third of this loop
				}
				var f apperr.Fields
				check.String(&f, t.Sheet+"!"+CellName(c+1, r+1), cell)
				if err := f.Err(); err != nil {
					fe := f[0]
					return apperr.New(apperr.Invalid, "单元格 "+fe.Field+"："+fe.MessageZh, "cell "+fe.Field+": "+fe.MessageEn).
						WithField(fe.Field, fe.Code)
				}
			}
		}
	}
	return nil
}

func read(data []byte, lim Limits) ([]Table, error) {
	if int64(len(data)) > lim.MaxBytes {
		return nil, apperr.New(apperr.TooLarge, fmt.Sprintf("文件超过 %d MB 上限", lim.MaxBytes>>20),
			fmt.Sprintf("the file is larger than the %d MB limit", lim.MaxBytes>>20))
	}
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return readXLSX(data, lim)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, apperr.New(apperr.Invalid, "这是旧版 Excel（.xls）或加密文件：请在 Excel 中另存为 .xlsx 后上传",
			"this is an old Excel (.xls) or encrypted file: save it as .xlsx in Excel and upload that")
	case looksLikeText(data):
		t, err := readCSV(data, lim)
		if err != nil {
			return nil, err
		}
		return []Table{t}, nil
	}
	return nil, notAWorkbook(nil)
}

func notAWorkbook(cause error) error {
	return apperr.Wrap(apperr.Invalid, cause, "无法读取：文件不是 Excel 工作簿（.xlsx）或 CSV 文件",
		"cannot read it: the file is not an Excel workbook (.xlsx) or a CSV file")
}

func tooMany(what string, limit int) error {
	return apperr.New(apperr.TooLarge, fmt.Sprintf("文件的%s超过 %d 上限", map[string]string{"rows": "行数", "cells": "单元格数"}[what], limit),
		fmt.Sprintf("the file has more than %d %s", limit, what))
}

// parsing lets one workbook be parsed at a time in the process: each accepted workbook stays
// within the §12 import memory bound, and concurrent uploads must not add theirs together.
var parsing = make(chan struct{}, 1)

// readXLSX checks the archive's unzipped size before reading it, so a zip bomb is refused
// without inflating it.
func readXLSX(data []byte, lim Limits) ([]Table, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, notAWorkbook(err)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > uint64(lim.MaxUncompressed) {
		return nil, apperr.New(apperr.TooLarge, fmt.Sprintf("工作簿解压后超过 %d MB 上限", lim.MaxUncompressed>>20),
			fmt.Sprintf("the workbook unzips to more than the %d MB limit", lim.MaxUncompressed>>20))
	}
	if err := countStrings(zr, lim.MaxStrings); err != nil {
		return nil, err
	}
	if err := countCells(zr, lim.MaxCells); err != nil {
		return nil, err
	}
	parsing <- struct{}{}
	defer func() { <-parsing }()
	tables, err := readBook(openBook(zr), lim)
	if _, refused := apperr.As(err); err != nil && !refused {
		return nil, notAWorkbook(err) // malformed XML, a part that does not inflate
	}
	return tables, err
}

// readBook reads the visible worksheets of a workbook, in its order.
func readBook(b book, lim Limits) ([]Table, error) {
	sheets, stringsPart, err := b.sheets()
	if err != nil {
		return nil, err
	}
	strs, err := b.sharedStrings(stringsPart, lim.MaxStrings)
	if err != nil {
		return nil, err
	}
	var out []Table
	rows, cells := 0, 0
	read := map[string]bool{} // a part two sheets name is read once
	for _, s := range sheets {
		if !s.visible || s.part == "" || read[s.part] {
			continue
		}
		read[s.part] = true
		t := Table{Sheet: s.name}
		if t.Rows, err = b.readRows(s.part, strs, lim, &rows, &cells); err != nil {
			return nil, err
		}
		t.Rows = trimBlankTail(t.Rows)
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.Invalid, "工作簿没有可见的工作表", "the workbook has no visible sheet")
	}
	return out, nil
}

// countStrings refuses a workbook whose shared-strings part holds more than limit texts, and
// countCells one whose worksheets hold more than limit cells, counted as the parts stream out
// of the archive, before any is parsed: a small file can carry millions of tiny strings or
// cells that cost a parser minutes and gigabytes. They are the quick refusal of the usual
// case; the reader counts again what it reads (prefixed names, parts named otherwise).
func countStrings(zr *zip.Reader, limit int) error {
	return countTags(zr, func(name string) bool { return name == "xl/sharedStrings.xml" }, "<si", limit, tooManyStrings(limit))
}

func tooManyStrings(limit int) error {
	return apperr.New(apperr.TooLarge, fmt.Sprintf("工作簿的文本超过 %d 条上限", limit),
		fmt.Sprintf("the workbook holds more than %d distinct texts", limit))
}

func countCells(zr *zip.Reader, limit int) error {
	isSheet := func(name string) bool {
		return strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml")
	}
	return countTags(zr, isSheet, "<c", limit, tooMany("cells", limit))
}

// countTags counts the elements named by tag ("<si" counts <si> and <si …>, not <sid>) in the
// parts whose names match, refusing with tooMany once there are more than limit in all.
func countTags(zr *zip.Reader, match func(string) bool, tag string, limit int, tooMany error) error {
	open, spaced := []byte(tag+">"), []byte(tag+" ")
	n := 0
	for _, f := range zr.File {
		if !match(f.Name) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return notAWorkbook(err)
		}
		tail, buf := []byte{}, make([]byte, 64<<10)
		for {
			k, err := rc.Read(buf)
			chunk := append(tail, buf[:k]...)
			n += bytes.Count(chunk, open) + bytes.Count(chunk, spaced)
			if n > limit {
				rc.Close()
				return tooMany
			}
			// A tag split between reads is counted once: keep fewer bytes than a whole tag.
			tail = append(tail[:0], chunk[max(len(chunk)-len(tag), 0):]...)
			if err != nil {
				break
			}
		}
		rc.Close()
	}
	return nil
}

// looksLikeText accepts what a CSV can be: no NUL bytes in its first kilobytes.
func looksLikeText(data []byte) bool {
	head := data[:min(len(data), 8192)]
	return len(data) > 0 && !bytes.ContainsRune(head, 0)
}

// DecodeText turns a CSV file's bytes into UTF-8. Chinese Excel saves CSV as GBK (a subset of
// GB18030) unless told otherwise, so bytes that are not valid UTF-8 are read as GB18030.
func DecodeText(data []byte) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || !utf8.Valid(out) {
		return "", apperr.New(apperr.Invalid, "CSV 文件的编码无法识别：请保存为 UTF-8 或 GBK",
			"the CSV file's encoding is not recognised: save it as UTF-8 or GBK")
	}
	text := string(out)
	if strings.ContainsRune(text, utf8.RuneError) {
		return "", badBytes(text)
	}
	return text, nil
}

// badBytes names the first cell of a CSV read as GBK that holds bytes no encoding maps to a
// character (decoded as U+FFFD): storing them would store "\ufffd" for the text.
func badBytes(text string) error {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	cell := "CSV"
	for row := 1; ; row++ {
		rec, err := r.Read()
		if err != nil {
			break
		}
		if col := slices.IndexFunc(rec, func(c string) bool { return strings.ContainsRune(c, utf8.RuneError) }); col >= 0 {
			cell = CSVSheet + "!" + CellName(col+1, row)
			break
		}
	}
	return apperr.New(apperr.Invalid, "单元格 "+cell+" 含有无法识别的字节：请将文件另存为 UTF-8 或 GBK 编码后再上传",
		"cell "+cell+" holds bytes that are not valid UTF-8 or GBK: save the file as UTF-8 or GBK and upload it again").
		WithField(cell, "bad_encoding")
}

func readCSV(data []byte, lim Limits) (Table, error) {
	text, err := DecodeText(data)
	if err != nil {
		return Table{}, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	t := Table{Sheet: CSVSheet}
	cells := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return Table{}, apperr.Wrap(apperr.Invalid, err, fmt.Sprintf("CSV 第 %d 行格式有误", line),
				fmt.Sprintf("the CSV file is malformed at line %d", line))
		}
		if len(t.Rows) >= lim.MaxRows {
			return Table{}, tooMany("rows", lim.MaxRows)
		}
		if cells += len(rec); cells > lim.MaxCells {
			return Table{}, tooMany("cells", lim.MaxCells)
		}
		t.Rows = append(t.Rows, rec)
	}
	t.Rows = trimBlankTail(t.Rows)
	return t, nil
}

// trimBlankTail drops the empty rows a spreadsheet often carries after its data.
func trimBlankTail(rows [][]string) [][]string {
	for len(rows) > 0 && blank(rows[len(rows)-1]) {
		rows = rows[:len(rows)-1]
	}
	return rows
}

// blank says a row has no text in any cell.
func blank(row []string) bool {
	for _, c := range row {
		if Clean(c) != "" {
			return false
		}
	}
	return true
}
