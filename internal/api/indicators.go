package api

import (
	"net/http"

	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/submissionbook"
)

func (s *Server) indicatorRoutes() []route {
	sv := s.svc
	year := func(c *call) (int, error) {
		y := c.q.Int("year")
		if err := c.q.Err(); err != nil {
			return 0, err
		}
		if y == 0 {
			y = sv.Indicators.DefaultYear()
		}
		return y, nil
	}
	yearParam := param{"year", "integer", "年份，默认上一年 / year, last year by default"}
	groupParam := param{"group", "string", "园区分组：all | pool | district:区 | tier:planning/reserve/key | featured:年度 | parks:id,id / a group of parks"}
	return []route{
		{Method: "GET", Pattern: "/api/v1/indicators", Tag: "indicators", Summary: "指标目录 / Indicator catalog",
			Response: []indicator.Indicator{}, handle: func(c *call) (any, error) { return sv.Indicators.Catalog(c.ctx) }},
		{Method: "POST", Pattern: "/api/v1/indicators", Tag: "indicators",
			Summary: "新增指标（公式为数据，无需发版） / Add an indicator (its formula is data: no release needed)",
			Body:    indicator.Indicator{}, Response: indicator.Indicator{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in indicator.Indicator
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Indicators.Add(c.ctx, c.scope, in)
			}},
		{Method: "GET", Pattern: "/api/v1/indicators/{id}", Tag: "indicators", Summary: "指标定义（按代码） / An indicator by code",
			Response: indicator.Indicator{}, handle: func(c *call) (any, error) { return sv.Indicators.Get(c.ctx, c.id()) }},
		{Method: "GET", Pattern: "/api/v1/indicator-values", Tag: "indicators",
			Summary: "某指标在可见各园区及其合计的值（全年或某季度），含覆盖率、算法和两种增长口径 / One indicator for every park in scope and for them together (a year or one of its quarters), with coverage, rule and both growth forms",
			Query: []param{{"indicator", "string", "指标代码，默认营业收入 / indicator code, revenue by default"}, yearParam, groupParam,
				{"quarter", "integer", "季度 1–4：该季度的值（季报、月报），增长为同季同比；不填为全年 / quarter 1–4: that quarter's values (quarterly and monthly reports), growth against the same quarter; the year when absent"}},
			Response: indicator.Table{}, handle: func(c *call) (any, error) {
				code, quarter := c.q.Str("indicator"), c.q.Int("quarter")
				y, err := year(c)
				if err != nil {
					return nil, err
				}
				g, err := indicator.ParseGroup("group", c.q.Str("group"))
				if err != nil {
					return nil, err
				}
				if c.q.Str("quarter") != "" {
					return sv.Indicators.QuarterTable(c.ctx, c.scope, code, y, quarter, g)
				}
				return sv.Indicators.Table(c.ctx, c.scope, code, y, g)
			}},
		{Method: "GET", Pattern: "/api/v1/cockpit", Tag: "indicators",
			Summary: "驾驶舱：特色园区与其余园区的核心指标及倍数、梯队数、五年趋势、分区、各园区核心指标 / The cockpit: headline indicators of featured parks against the rest with multiples, tiers, five-year trend, districts, every park's headline values",
			Query:   []param{yearParam}, Response: indicator.Overview{}, handle: func(c *call) (any, error) {
				y, err := year(c)
				if err != nil {
					return nil, err
				}
				return sv.Indicators.Overview(c.ctx, c.scope, y)
			}},
		{Method: "GET", Pattern: "/api/v1/indicator-comparison", Tag: "indicators",
			Summary: "两组园区某指标之比（标杆倍数） / One group's indicator as a multiple of a reference group's (benchmark multiple)",
			Query: []param{{"indicator", "string", "指标代码，默认营业收入 / indicator code, revenue by default"}, yearParam,
				{"subject", "string", "对象组，写法同 group / the subject group, written as group is"},
				{"reference", "string", "参照组，默认 all / the reference group, all by default"}},
			Response: indicator.Comparison{}, handle: func(c *call) (any, error) {
				code := c.q.Str("indicator")
				y, err := year(c)
				if err != nil {
					return nil, err
				}
				subject, err := indicator.ParseGroup("subject", c.q.Str("subject"))
				if err != nil {
					return nil, err
				}
				reference, err := indicator.ParseGroup("reference", c.q.Str("reference"))
				if err != nil {
					return nil, err
				}
				return sv.Indicators.Compare(c.ctx, c.scope, code, y, subject, reference)
			}},
		{Method: "GET", Pattern: "/api/v1/enterprises/{id}/annual", Tag: "indicators",
			Summary:  "企业年度数据（§6.1 第 1 条）及其自身指标，最近若干年 / An enterprise's years (§6.1 rule 1) with its own indicators, the last few",
			Query:    []param{yearParam, {"years", "integer", "年数，默认 5 / how many years, 5 by default"}},
			Response: []indicator.EnterpriseYear{}, handle: func(c *call) (any, error) {
				y, err := year(c)
				if err != nil {
					return nil, err
				}
				n := c.q.Int("years")
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				if n == 0 {
					n = 5
				}
				if _, err := sv.Enterprise.GetEnterprise(c.ctx, c.scope, c.id()); err != nil {
					return nil, err
				}
				return sv.Indicators.EnterpriseYears(c.ctx, c.scope, c.id(), y, n)
			}},
		{Method: "GET", Pattern: "/api/v1/parks/{id}/park-data", Tag: "indicators",
			Summary:  "园区整体填报数与属性历史 / A park's own submissions and attribute history",
			Response: indicator.ParkData{}, handle: func(c *call) (any, error) { return sv.Indicators.ParkData(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/parks/{id}/submissions", Tag: "indicators",
			Summary: "园区整体填报某年数据（平台外园区），替代企业合计 / A park's own figures for a year (parks not on the platform), used instead of its enterprises' sums",
			Body:    indicator.SubmissionInput{}, Response: indicator.Submission{}, handle: func(c *call) (any, error) {
				var in indicator.SubmissionInput
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Indicators.Submit(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "POST", Pattern: "/api/v1/park-submissions/imports", Tag: "indicators",
			Summary: "导入园区整体填报数（xlsx 或 CSV：园区编码、年度及各项指标；金额为元，表头注明万元时为万元）：全部无误才写入 / Import parks' own yearly figures (xlsx or CSV: park code, year and the measures; amounts in 元, or 万元 when the header says so): all rows or none",
			Query:   []param{{"dry_run", "boolean", "只校验，不写入 / validate only"}},
			Upload:  true, Response: submissionbook.Result{}, handle: func(c *call) (any, error) {
				return c.importUpload(func(data []byte, dryRun bool) (any, bool, []sheet.Problem, error) {
					res, err := submissionbook.Import(c.ctx, sv.Indicators, c.scope, data, sheet.DefaultLimits, dryRun)
					return res, res.Committed, res.Problems, err
				})
			}},
		{Method: "POST", Pattern: "/api/v1/parks/{id}/attributes", Tag: "indicators",
			Summary: "设置园区属性（面积、平台、孵化器、基金）及生效日期 / Set a park attribute (areas, platforms, incubators, funds) from a date",
			Body:    indicator.AttributeInput{}, Response: indicator.Attribute{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in indicator.AttributeInput
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Indicators.SetAttribute(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "GET", Pattern: "/api/v1/parks/{id}/indicators", Tag: "indicators",
			Summary: "园区全部指标（含覆盖率、算法、同比与同口径增长） / Every indicator of a park, with coverage, rule, YoY and like-for-like",
			Query:   []param{yearParam}, Response: indicator.ParkFigures{}, handle: func(c *call) (any, error) {
				y, err := year(c)
				if err != nil {
					return nil, err
				}
				return sv.Indicators.ParkFigures(c.ctx, c.scope, c.id(), y)
			}},
	}
}
