package onboardbook

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/onboard"
	"github.com/parkos/parkos/internal/sheet"
)

const readmeSheet = "说明"

// header is a column's header as written: * for required, the unit in brackets.
func (c column) header() string {
	h := c.Header
	if c.Required {
		h = "*" + h
	}
	if c.unit != "" {
		h += "（" + c.unit + "）"
	}
	return h
}

// values are a row's cells in the table's column order.
func (t table) values(row reflect.Value) []any {
	out := make([]any, len(t.cols))
	for i, c := range t.cols {
		f, _ := onboard.Field(row, c.Key)
		out[i] = c.write(f)
	}
	return out
}

// Write writes a batch as a workbook: one sheet per kind of record, in import order, each with
// its header row and drop-downs for enumerated columns, then a read-me sheet.
func Write(b onboard.Batch) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14, CustomNumFmt: ptr("yyyy-mm-dd")})
	if err != nil {
		return nil, err
	}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#E8EEF7"}}})
	if err != nil {
		return nil, err
	}
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName("Sheet1", t.zh)
		} else {
			_, err = f.NewSheet(t.zh)
		}
		if err != nil {
			return nil, err
		}
		if err := writeSheet(f, t, b, headStyle, dateStyle); err != nil {
			return nil, err
		}
	}
	return sheet.Finish(f, readmeSheet, readme)
}

func ptr[T any](v T) *T { return &v }

func writeSheet(f *excelize.File, t table, b onboard.Batch, headStyle, dateStyle int) error {
	rows := reflect.ValueOf(t.rows(&b)).Elem()
	// Drop-downs go on before streaming: added after, they make excelize parse the whole
	// sheet back in, which was half the time of a large park's export.
	if err := addChoices(f, t, rows.Len()+1000); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(t.zh)
	if err != nil {
		return err
	}
	head := make([]any, len(t.cols))
	for i, c := range t.cols {
		head[i] = excelize.Cell{StyleID: headStyle, Value: c.header()}
		if err := sw.SetColWidth(i+1, i+1, float64(max(10, utf8.RuneCountInString(c.header())*2+2))); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for r := range rows.Len() {
		vals := t.values(rows.Index(r))
		for i, v := range vals {
			switch v := v.(type) {
			case time.Time:
				vals[i] = excelize.Cell{StyleID: dateStyle, Value: v}
			case string:
				vals[i] = sheet.SafeCell(v)
			}
		}
		if err := sw.SetRow(sheet.CellName(1, r+2), vals); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// addChoices puts a drop-down of the Chinese labels on each enumerated column, for the rows
// written and room to add more.
func addChoices(f *excelize.File, t table, lastRow int) error {
	for i, c := range t.cols {
		if c.choices == nil {
			continue
		}
		labels := make([]string, len(c.choices))
		for j, ch := range c.choices {
			labels[j] = ch.zh
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = sheet.CellName(i+1, 2) + ":" + sheet.CellName(i+1, lastRow)
		if err := dv.SetDropList(labels); err != nil {
			return err
		}
		if err := f.AddDataValidation(t.zh, dv); err != nil {
			return err
		}
	}
	return nil
}

// readme is the onboarding workbook's read-me sheet.
var readme = []string{
	"ParkOS 园区开通导入表 / ParkOS onboarding workbook",
	"每个工作表是一类记录，按顺序导入：园区 → 楼宇 → 楼层 → 房源单元 → 企业 → 企业资质 → 入驻记录 → 租赁合同 → 合同单元。",
	"记录之间用编码关联：园区编码、楼宇编码、楼层、单元编码、统一社会信用代码（无代码的企业用企业名称）、合同编号。",
	"带 * 的列为必填。已有记录按编码匹配：表中有的列会更新，没有的列保持不变；内容相同的行不做任何修改，同一文件导入两次第二次不改变数据。",
	"导入先校验全部行：任何一行有错，整个文件都不写入，错误按行列列出，并可下载标出错误单元格的副本。",
	"金额单位见表头（注册资本为万元）；面积为平方米，最多两位小数；日期可写 2024-01-05、2024/1/5 或 2024年1月5日。",
	"多个值（单元编码、标签、产业链节点）用顿号、逗号或分号分隔；免租期写作 2024-01-01~2024-03-31；阶梯价写作 起始月:单价，如 25:5.5；37:6。",
	"已签署的合同不能通过导入改写，请在系统中变更、续签或解约；单元的楼层和启用、停用日期只能通过拆分或合并改变。",
	"Each sheet is one kind of record, imported in order; rows refer to each other by code. Columns marked * are required.",
	"Existing records are matched by code: the columns present are updated, the others left alone; identical rows change nothing.",
	"Every row is checked first: if any row is wrong nothing is written, and the problems come back by row and column.",
	"CSV files (UTF-8, or GBK as Chinese Excel saves them) hold one sheet each, with the same headers.",
}

// WriteCSV writes one kind of record as a CSV file: UTF-8 with a byte-order mark, so that Excel
// opens the Chinese headers correctly.
func WriteCSV(b onboard.Batch, entity string) ([]byte, error) {
	t, ok := tableFor(entity)
	if !ok {
		return nil, unknownEntity(entity)
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	head := make([]string, len(t.cols))
	for i, c := range t.cols {
		head[i] = c.header()
	}
	if err := w.Write(head); err != nil {
		return nil, err
	}
	rows := reflect.ValueOf(t.rows(&b)).Elem()
	for r := range rows.Len() {
		vals := t.values(rows.Index(r))
		rec := make([]string, len(vals))
		for i, v := range vals {
			rec[i] = sheet.SafeText(csvText(v))
		}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func unknownEntity(entity string) error {
	e := apperr.New(apperr.Invalid, "未知的记录类型："+entity, "unknown kind of record: "+entity)
	e.Fields = []apperr.FieldError{{Field: "entity", Code: "unknown_value", MessageZh: "记录类型应为 parks、buildings、floors、units、enterprises、qualifications、residencies、contracts 或 contract_units",
		MessageEn: "entity must be parks, buildings, floors, units, enterprises, qualifications, residencies, contracts or contract_units"}}
	return e
}
