// Package reportbook is the statistical-report workbook: the template a park sends its
// enterprises for a period (pre-filled, with drop-downs and a read-me sheet), and the reading of
// a filled-in copy into figures per enterprise with every bad cell named by row and column.
package reportbook

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/stats"
)

const (
	dataSheet   = "填报"
	readmeSheet = "填写说明"
	actionDraft = "保存草稿"
	actionSend  = "提交"
)

// Member is an enterprise asked to file, as the template lists it.
type Member struct {
	CreditCode string
	Name       string
	Figures    stats.Figures // what is already filed, pre-filled into the template
}

// columns are the workbook's columns: the enterprise, one per measure, and the action.
func columns() []sheet.Column {
	cols := []sheet.Column{
		{Key: "credit_code", Header: "统一社会信用代码", English: "Credit code", Synonyms: []string{"信用代码", "社会信用代码"}, Required: true},
		{Key: "name", Header: "企业名称", English: "Enterprise", Synonyms: []string{"单位名称", "企业"}},
	}
	for _, m := range stats.Measures {
		cols = append(cols, sheet.Column{Key: m.Key, Header: m.Zh, English: m.En, Synonyms: synonyms[m.Key]})
	}
	return append(cols, sheet.Column{Key: "action", Header: "操作", English: "Action"})
}

// synonyms are the other headers statistics staff give the §3 measures.
var synonyms = map[string][]string{
	"revenue":                   {"营业总收入", "营收", "收入"},
	"rd_expense":                {"研发投入", "研发经费", "R&D经费支出"},
	"tax":                       {"实缴税金", "纳税额", "上缴税金"},
	"employees":                 {"期末从业人数", "从业人员", "员工人数"},
	"rd_staff":                  {"研发人员数", "R&D人员"},
	"invention_patents_granted": {"当期发明专利授权数"},
	"invention_patents_held":    {"有效发明专利数", "拥有有效发明专利"},
	"financing":                 {"融资金额", "当期融资额"},
	"exports":                   {"出口总额", "出口创汇"},
}

func header(m stats.Measure) string {
	if m.Money {
		return m.Zh + "（万元）"
	}
	return m.Zh
}

// Template writes the period's workbook: a title row, the header, one row per member with its
// current figures, number validation on every figure column, an action drop-down, and a read-me
// sheet with the rules. Rows are streamed, so a 100,000-member template stays small in memory.
func Template(title string, members []Member) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", dataSheet); err != nil {
		return nil, err
	}
	cols := columns()
	// Validations go on before streaming; added after, excelize would parse the sheet back in.
	if err := addValidations(f, len(cols), max(len(members)+2, 3)); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#E8F1FB"}}})
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(dataSheet)
	if err != nil {
		return nil, err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		text := c.Header
		if m, ok := stats.MeasureOf(c.Key); ok {
			text = header(m)
		}
		if c.Required || requiredMeasure(c.Key) {
			text += "*"
		}
		head[i] = excelize.Cell{StyleID: bold, Value: text}
		if err := sw.SetColWidth(i+1, i+1, float64(max(12, len([]rune(text))*2+2))); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: 2, TopLeftCell: "C3", ActivePane: "bottomRight"}); err != nil {
		return nil, err
	}
	if err := sw.MergeCell("A1", sheet.CellName(len(cols), 1)); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", []any{title}); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A2", head); err != nil {
		return nil, err
	}
	for r, m := range members {
		vals := make([]any, len(cols))
		vals[0], vals[1], vals[len(cols)-1] = m.CreditCode, m.Name, actionDraft
		for i, ms := range stats.Measures {
			v, ok := m.Figures[ms.Key]
			switch {
			case !ok:
			case ms.Money:
				vals[2+i] = wanNumber(measure.Money(v))
			default:
				vals[2+i] = v
			}
		}
		if err := sw.SetRow(sheet.CellName(1, r+3), vals); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	return sheet.Finish(f, readmeSheet, readme)
}

// addValidations puts number checks on the figure columns and the action drop-down on rows 3
// to lastRow.
func addValidations(f *excelize.File, nCols, lastRow int) error {
	for i, ms := range stats.Measures {
		col, _ := excelize.ColumnNumberToName(3 + i)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s3:%s%d", col, col, lastRow)
		kind := excelize.DataValidationTypeDecimal
		if !ms.Money {
			kind = excelize.DataValidationTypeWhole
		}
		if err := dv.SetRange(0, 1e15, kind, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "数值无效", "请填写不小于 0 的数字；人数与专利数为整数。")
		if err := f.AddDataValidation(dataSheet, dv); err != nil {
			return err
		}
	}
	action := excelize.NewDataValidation(true)
	actionCol, _ := excelize.ColumnNumberToName(nCols)
	action.Sqref = fmt.Sprintf("%s3:%s%d", actionCol, actionCol, lastRow)
	if err := action.SetDropList([]string{actionDraft, actionSend}); err != nil {
		return err
	}
	return f.AddDataValidation(dataSheet, action)
}

// readme is the filing workbook's read-me sheet.
var readme = []string{
	"填写说明 / How to fill in",
	"1. 每行一家企业，按“统一社会信用代码”识别企业；不要改动代码列。One row per enterprise, matched by its credit code.",
	"2. 金额列单位为万元，可带千分位与小数（最多六位小数）；人数与专利数填整数。Amounts in 万元; counts as whole numbers.",
	"3. 带 * 的列为必填；空白表示未填。Columns marked * are required; a blank cell means not filled in.",
	"4. “操作”列选择“保存草稿”或“提交”；提交时须无错误。Action: 保存草稿 (save a draft) or 提交 (submit).",
	"5. 上传后先预览：错误按行列列出并可下载标注了错误单元格的副本；确认后全部写入，否则不写入任何数据。Upload shows a preview; nothing is written until you confirm, and nothing at all if any row is wrong.",
	"6. 同一文件重复上传不会产生变化。Uploading the same file again changes nothing.",
	"7. 以下情况会提示须确认：营业收入为上期 10 倍以上或不足十分之一、研发费用高于营业收入、研发人员多于从业人员。导入时这些提示视为已由园区确认。",
}

func requiredMeasure(key string) bool {
	m, ok := stats.MeasureOf(key)
	return ok && m.Required
}

// wanNumber is a fen amount as a 万元 number for a cell; float64 holds every amount below
// 9×10^9 万元 to the fen exactly enough to round-trip through sheet.Money.
func wanNumber(m measure.Money) float64 { return float64(m) / 1_000_000 }

// Problem is one bad cell of an upload.
type Problem = sheet.Problem

// Parsed is a whole upload read: its good rows, and every problem.
type Parsed struct {
	Sheet      string            `json:"sheet"`
	CodeColumn string            `json:"-"` // where credit codes are, for problems with a whole row
	Rows       []stats.ImportRow `json:"rows"`
	Problems   []Problem         `json:"problems"`
}

// Read reads an uploaded workbook or CSV. known says which credit codes may be filed in this
// period; a row for any other code is a problem, as is a code appearing twice.
func Read(data []byte, lim sheet.Limits, known func(code string) bool) (Parsed, error) {
	tables, err := sheet.Read(data, lim)
	if err != nil {
		return Parsed{}, err
	}
	cols := columns()
	var t sheet.Table
	var h sheet.Header
	for _, cand := range tables {
		ch, missing := sheet.FindHeader(cand.Rows, cols)
		if len(missing) == 0 {
			t, h = cand, ch
			break
		}
	}
	if h.Column == nil {
		return Parsed{}, apperr.New(apperr.Invalid, "找不到表头：需要“统一社会信用代码”列与指标列", "no header row found: a credit-code column and measure columns are needed")
	}
	out := Parsed{Sheet: t.Sheet, CodeColumn: sheet.ColumnName(h.Column["credit_code"])}
	// Whether a measure's money is in 万元 is its header's to say: read once, not per cell.
	inWan := make(map[string]bool, len(stats.Measures))
	for _, m := range stats.Measures {
		inWan[m.Key] = h.Wan[m.Key] || !hasUnit(t.Rows[h.Row], h.Column[m.Key])
	}
	seen := map[string]int{}
	for i := h.Row + 1; i < len(t.Rows); i++ {
		raw := t.Rows[i]
		if blankRow(raw) {
			continue
		}
		rowNo := i + 1
		cell := func(key string) (string, int) {
			c, ok := h.Column[key]
			if !ok || c >= len(raw) {
				return "", c
			}
			return raw[c], c
		}
		flagged := map[string]bool{}
		bad := func(key string, col int, code, zh, en string) {
			flagged[key] = true
			out.Problems = append(out.Problems, problem(t.Sheet, rowNo, col, headerText(t.Rows[h.Row], col), code, zh, en))
		}
		code, codeCol := cell("credit_code")
		code = strings.ToUpper(sheet.Clean(code))
		switch {
		case code == "" && untouched(raw, h):
			continue // an enterprise without a credit code files in the console; its row is left as it was
		case code == "":
			bad("credit_code", codeCol, "required", "缺少统一社会信用代码", "the credit code is missing")
			continue
		case !known(code):
			bad("credit_code", codeCol, "unknown", "该企业不在本报告期的填报名单中", "this enterprise is not asked to file in this period")
			continue
		case seen[code] > 0:
			bad("credit_code", codeCol, "duplicate", fmt.Sprintf("与第 %d 行重复", seen[code]), fmt.Sprintf("repeats row %d", seen[code]))
			continue
		}
		seen[code] = rowNo
		r := stats.ImportRow{Row: rowNo, CreditCode: code, Figures: stats.Figures{}}
		before := len(out.Problems)
		for _, m := range stats.Measures {
			text, col := cell(m.Key)
			v, ok, err := ReadFigure(m, text, inWan[m.Key])
			if ce, isCell := err.(*sheet.CellError); isCell {
				bad(m.Key, col, ce.Code, ce.MessageZh, ce.MessageEn)
				continue
			}
			if ok {
				r.Figures[m.Key] = v
			}
		}
		hard, _ := stats.Check(r.Figures, nil)
		for _, fe := range hard {
			bad(fe.Field, h.Column[fe.Field], fe.Code, fe.MessageZh, fe.MessageEn)
		}
		action, actionCol := cell("action")
		switch sheet.Clean(action) {
		case "", actionDraft, "draft":
		case actionSend, "submit":
			r.Submit = true
			for _, m := range stats.Measures {
				if _, ok := r.Figures[m.Key]; m.Required && !ok && !flagged[m.Key] {
					bad(m.Key, h.Column[m.Key], "required", m.Zh+"为必填项，提交时不能为空", m.En+" is required to submit")
				}
			}
		default:
			bad("action", actionCol, "invalid", "操作应为“保存草稿”或“提交”", "action must be 保存草稿 or 提交")
		}
		if len(out.Problems) == before {
			out.Rows = append(out.Rows, r)
		}
	}
	return out, nil
}

// ReadFigure reads one measure's text: money in 万元 when inWan (else 元), counts as whole
// numbers, with the sheet package's tolerance for separators and full-width digits.
func ReadFigure(m stats.Measure, text string, inWan bool) (int64, bool, error) {
	if m.Money {
		v, ok, err := sheet.Money(text, inWan)
		return int64(v), ok, err
	}
	return sheet.Integer(text)
}

// hasUnit says the header cell above col names a unit in brackets, e.g. 纳税总额（元）.
func hasUnit(header []string, col int) bool {
	if col < 0 || col >= len(header) {
		return false
	}
	_, unit := sheet.SplitUnit(header[col])
	return unit != ""
}

func headerText(header []string, col int) string {
	if col < 0 || col >= len(header) {
		return ""
	}
	return strings.Trim(sheet.Clean(header[col]), "* ")
}

func problem(sheetName string, row, col int, header, code, zh, en string) Problem {
	return Problem{Sheet: sheetName, Row: row, Column: sheet.ColumnName(col), Header: header, Code: code, MessageZh: zh, MessageEn: en}
}

// untouched reports whether a row has no figure filled in and no action but the template's
// "save a draft": the row of an enterprise the template lists by name only.
func untouched(row []string, h sheet.Header) bool {
	for key, c := range h.Column {
		if c >= len(row) || key == "credit_code" || key == "name" {
			continue
		}
		if v := sheet.Clean(row[c]); v != "" && !(key == "action" && v == actionDraft) {
			return false
		}
	}
	return true
}

func blankRow(row []string) bool {
	for _, c := range row {
		if sheet.Clean(c) != "" {
			return false
		}
	}
	return true
}
