package sheet

import (
	"bytes"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Problem is one bad cell: its sheet, row and column as a person sees them, and what is wrong.
type Problem struct {
	Sheet     string `json:"sheet"`
	Row       int    `json:"row"`
	Column    string `json:"column"` // A, B, …
	Header    string `json:"header"`
	Code      string `json:"code"`
	MessageZh string `json:"message_zh"`
	MessageEn string `json:"message_en"`
}

// CSVSheet is the sheet name a CSV upload's rows carry, in problems and in its marked copy.
const CSVSheet = "CSV"

// Annotate returns a copy of the uploaded file with every bad cell filled red and carrying a
// comment that says what is wrong. An xlsx keeps its own sheets and formatting; a CSV becomes a
// workbook of its rows.
func Annotate(data []byte, lim Limits, problems []Problem) ([]byte, error) {
	var f *excelize.File
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		var err error
		if f, err = excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: lim.MaxUncompressed}); err != nil {
			return nil, err
		}
	} else {
		tables, err := Read(data, lim)
		if err != nil {
			return nil, err
		}
		f = excelize.NewFile()
		if err := f.SetSheetName("Sheet1", CSVSheet); err != nil {
			return nil, err
		}
		sw, err := f.NewStreamWriter(CSVSheet)
		if err != nil {
			return nil, err
		}
		for i, row := range tables[0].Rows {
			vals := make([]any, len(row))
			for j, c := range row {
				vals[j] = c
			}
			if err := sw.SetRow(CellName(1, i+1), vals); err != nil {
				return nil, err
			}
		}
		if err := sw.Flush(); err != nil {
			return nil, err
		}
	}
	defer f.Close()
	red, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#F8B4B4"}},
		Border: []excelize.Border{{Type: "left", Color: "#B42318", Style: 2}, {Type: "right", Color: "#B42318", Style: 2},
			{Type: "top", Color: "#B42318", Style: 2}, {Type: "bottom", Color: "#B42318", Style: 2}}})
	if err != nil {
		return nil, err
	}
	for _, pr := range problems {
		cell := pr.Column + strconv.Itoa(pr.Row)
		if err := f.SetCellStyle(pr.Sheet, cell, cell, red); err != nil {
			return nil, err
		}
		if err := f.AddComment(pr.Sheet, excelize.Comment{Author: "ParkOS", Cell: cell, Text: pr.MessageZh + " / " + pr.MessageEn}); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CellName is the A1 name of a 1-based column and row.
func CellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// ColumnName is the letter name of a 0-based column index.
func ColumnName(col int) string {
	name, _ := excelize.ColumnNumberToName(col + 1)
	return name
}

// Finish adds a read-me sheet of lines, one per row, and returns the workbook's bytes.
func Finish(f *excelize.File, readme string, lines []string) ([]byte, error) {
	if _, err := f.NewSheet(readme); err != nil {
		return nil, err
	}
	for i, l := range lines {
		if err := f.SetCellStr(readme, CellName(1, i+1), l); err != nil {
			return nil, err
		}
	}
	if err := f.SetColWidth(readme, "A", "A", 130); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
