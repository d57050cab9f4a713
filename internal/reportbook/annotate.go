package reportbook

import (
	"bytes"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/parkos/parkos/internal/sheet"
)

// Annotate returns a copy of the uploaded file with every bad cell filled red and carrying a
// comment that says what is wrong. An xlsx keeps its own sheets and formatting; a CSV becomes a
// workbook of its rows.
func Annotate(data []byte, lim sheet.Limits, p Parsed) ([]byte, error) {
	var f *excelize.File
	name := p.Sheet
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		var err error
		if f, err = excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: lim.MaxUncompressed}); err != nil {
			return nil, err
		}
	} else {
		tables, err := sheet.Read(data, lim)
		if err != nil {
			return nil, err
		}
		f, name = excelize.NewFile(), "CSV"
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return nil, err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return nil, err
		}
		for i, row := range tables[0].Rows {
			vals := make([]any, len(row))
			for j, c := range row {
				vals[j] = c
			}
			if err := sw.SetRow(cellName(1, i+1), vals); err != nil {
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
	for _, pr := range p.Problems {
		cell := pr.Column + strconv.Itoa(pr.Row)
		if err := f.SetCellStyle(name, cell, cell, red); err != nil {
			return nil, err
		}
		if err := f.AddComment(name, excelize.Comment{Author: "ParkOS", Cell: cell, Text: pr.MessageZh + " / " + pr.MessageEn}); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
