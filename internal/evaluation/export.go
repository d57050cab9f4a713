package evaluation

import (
	"bytes"
	"context"
	"fmt"

	"github.com/parkos/parkos/internal/export"
	"github.com/parkos/parkos/internal/identity"
)

// Report is a run laid out as one table: rank, park, total, qualification and recommendation,
// each dimension's score, then each indicator's value and normalised score, and the gates.
func (s *Service) Report(ctx context.Context, sc identity.Scope, runID string) (Run, Scheme, export.Table, error) {
	run, err := s.GetRun(ctx, sc, runID)
	if err != nil {
		return run, Scheme{}, export.Table{}, err
	}
	scheme, err := s.st.GetScheme(ctx, run.SchemeID)
	if err != nil {
		return run, scheme, export.Table{}, err
	}
	def := scheme.Definition
	t := export.Table{Title: fmt.Sprintf("%s v%d · %d", run.SchemeName, run.SchemeVersion, run.Year),
		Columns: []export.Column{{Header: "排名 Rank", Kind: export.Integer}, {Header: "园区编码 Code", Kind: export.Text},
			{Header: "园区 Park", Kind: export.Text}, {Header: "总分 Total", Kind: export.Decimal}, {Header: "达到门槛 Qualified", Kind: export.Text},
			{Header: "推荐梯队 Tier", Kind: export.Text}}}
	for _, d := range def.Dimensions {
		t.Columns = append(t.Columns, export.Column{Header: fmt.Sprintf("%s（%g%%）", d.NameZh, d.Weight), Kind: export.Decimal})
	}
	for _, d := range def.Dimensions {
		for _, it := range d.Indicators {
			name := it.Indicator
			if ind, err := s.ind.Get(ctx, it.Indicator); err == nil {
				name = ind.NameZh + "（" + ind.Unit + "）"
			}
			t.Columns = append(t.Columns, export.Column{Header: name + " 值", Kind: export.Text},
				export.Column{Header: fmt.Sprintf("%s 得分（赋权 %g）", name, it.Weight), Kind: export.Decimal})
		}
	}
	for _, g := range def.Gates {
		t.Columns = append(t.Columns, export.Column{Header: fmt.Sprintf("门槛 %s %s %g", g.Indicator, g.Op, g.Threshold), Kind: export.Text})
	}
	for _, p := range run.Scores {
		qualified, tier := "是", TierName(p.Tier)
		if !p.Qualified {
			qualified, tier = "否", p.TierNoteZh
		}
		row := []any{p.Rank, p.ParkCode, p.ParkName, p.Total, qualified, tier}
		for _, d := range p.Dimensions {
			row = append(row, d.Score)
		}
		for _, d := range p.Dimensions {
			for _, it := range d.Items {
				value := "缺失（记 0 分）"
				if it.Known {
					value = fmt.Sprintf("%.2f", it.Value)
				}
				row = append(row, value, it.Score)
			}
		}
		for _, g := range p.Gates {
			switch {
			case !g.Known:
				row = append(row, "缺失，未达")
			case g.Passed:
				row = append(row, fmt.Sprintf("%.2f 达到", g.Value))
			default:
				row = append(row, fmt.Sprintf("%.2f 未达", g.Value))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	t.Notes = []string{fmt.Sprintf("方案 %s 第 %d 版；%d 年；园区范围 %s；计算规则见 SPEC §6.1 第 9 条，得分未经四舍五入参与排名。",
		run.SchemeName, run.SchemeVersion, run.Year, run.Group)}
	return run, scheme, t, nil
}

// Workbook writes a run's report as an Excel workbook.
func (s *Service) Workbook(ctx context.Context, sc identity.Scope, runID string) ([]byte, string, error) {
	run, _, t, err := s.Report(ctx, sc, runID)
	if err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	if err := t.WriteXLSX(&buf); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), fmt.Sprintf("评价结果_%s_v%d_%d.xlsx", run.SchemeName, run.SchemeVersion, run.Year), nil
}

// TierName is a tier's Chinese name.
func TierName(t string) string {
	return map[string]string{"planning": "规划布局", "reserve": "储备培育", "key": "重点打造"}[t]
}
