package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/reportbook"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/stats"
)

// Submission is the body of a report submission: the figures and the warning codes the filer
// confirms.
type Submission struct {
	Figures   stats.Figures `json:"figures"`
	Confirmed []string      `json:"confirmed_warnings"`
}

// Draft is the body of saving a report's figures without submitting them.
type Draft struct {
	Figures stats.Figures `json:"figures"`
}

// ApprovedCount says how many reports a bulk approval approved.
type ApprovedCount struct {
	Approved int `json:"approved"`
}

// Review is the body of returning a report.
type Review struct {
	Reason string `json:"reason"`
}

// ReportDetail is a report with the figures of the period before and the warnings its figures
// raise now, so a form can show both beside each field.
type ReportDetail struct {
	stats.Report
	Previous stats.Figures   `json:"previous"`
	Warnings []stats.Warning `json:"warnings"`
}

func (s *Server) reportRoutes() []route {
	sv := s.svc
	return []route{
		{Method: "GET", Pattern: "/api/v1/periods", Tag: "reports", Summary: "报告期 / Reporting periods",
			Query: []param{{"park_id", "string", "园区 / park"}, {"kind", "string", "monthly | quarterly | annual"},
				{"year", "integer", "年份 / year"}, describeSorts("end_on", "deadline"), pageParams[0], pageParams[1]},
			Response: page.Page[stats.Period]{}, handle: func(c *call) (any, error) {
				f := stats.PeriodFilter{ParkID: c.q.Str("park_id"), Kind: stats.Kind(c.q.Str("kind")), Year: c.q.Int("year")}
				req := c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Stats.ListPeriods(c.ctx, c.scope, f, req)
			}},
		{Method: "POST", Pattern: "/api/v1/periods", Tag: "reports",
			Summary: "开启报告期（不列企业时为园区全部企业） / Open a period (all the park's enterprises unless listed)",
			Body:    stats.NewPeriod{}, Response: stats.Period{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in stats.NewPeriod
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Stats.OpenPeriod(c.ctx, c.scope, in.Period())
			}},
		{Method: "GET", Pattern: "/api/v1/periods/{id}", Tag: "reports", Summary: "查看报告期 / Get a period", Response: stats.Period{},
			handle: func(c *call) (any, error) { return sv.Stats.GetPeriodWithMembers(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/periods/{id}/close", Tag: "reports",
			Summary:  "关闭报告期：此后不能再保存、提交或导入 / Close: no more saving, submitting or importing",
			Response: stats.Period{}, handle: func(c *call) (any, error) { return sv.Stats.ClosePeriod(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/periods/{id}/approve-submitted", Tag: "reports",
			Summary:  "批量审核：通过该期全部已提交的报表 / Approve every submitted report of the period at once",
			Response: ApprovedCount{}, handle: func(c *call) (any, error) {
				n, err := sv.Stats.ApproveSubmitted(c.ctx, c.scope, c.id())
				return ApprovedCount{Approved: n}, err
			}},
		{Method: "GET", Pattern: "/api/v1/periods/{id}/progress", Tag: "reports",
			Summary:  "各园区填报进度（草稿、已提交、退回、已审核、逾期） / Progress per park",
			Response: []stats.Progress{}, handle: func(c *call) (any, error) {
				return sv.Stats.Progress(c.ctx, c.scope, c.id())
			}},
		{Method: "GET", Pattern: "/api/v1/reports", Tag: "reports", Summary: "统计报表 / Statistical reports",
			Query: []param{{"period_id", "string", "报告期 / period"}, {"park_id", "string", "园区 / park"},
				{"enterprise_id", "string", "企业 / enterprise"}, {"status", "string", "draft | submitted | returned | approved"},
				describeSorts("updated_at", "status"), pageParams[0], pageParams[1]},
			Response: page.Page[stats.Report]{}, handle: func(c *call) (any, error) {
				f := stats.ReportFilter{PeriodID: c.q.Str("period_id"), ParkID: c.q.Str("park_id"),
					EnterpriseID: c.q.Str("enterprise_id"), Status: stats.Status(c.q.Str("status"))}
				req := c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Stats.ListReports(c.ctx, c.scope, f, req)
			}},
		{Method: "GET", Pattern: "/api/v1/reports/{id}", Tag: "reports",
			Summary:  "查看报表，含上期数据与当前提示 / Get a report with the previous period's figures and current warnings",
			Response: ReportDetail{}, handle: func(c *call) (any, error) {
				r, err := sv.Stats.GetReport(c.ctx, c.scope, c.id())
				if err != nil {
					return nil, err
				}
				prev, err := sv.Stats.PreviousFigures(c.ctx, c.scope, r)
				if err != nil {
					return nil, err
				}
				_, warns := stats.Check(r.Figures, prev)
				if prev == nil {
					prev = stats.Figures{}
				}
				return ReportDetail{Report: r, Previous: prev, Warnings: append([]stats.Warning{}, warns...)}, nil
			}},
		{Method: "PUT", Pattern: "/api/v1/reports/{id}/draft", Tag: "reports", Summary: "保存草稿 / Save a draft",
			Body: Draft{}, Response: stats.Report{}, handle: func(c *call) (any, error) {
				var in Draft
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Stats.SaveReportDraft(c.ctx, c.scope, c.id(), in.Figures)
			}},
		{Method: "POST", Pattern: "/api/v1/reports/{id}/submit", Tag: "reports",
			Summary: "提交（硬性错误阻止提交，提示须在 confirmed_warnings 中确认） / Submit (hard errors block; warnings must be confirmed)",
			Body:    Submission{}, Response: stats.Report{}, handle: func(c *call) (any, error) {
				var in Submission
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Stats.SubmitReport(c.ctx, c.scope, c.id(), in.Figures, in.Confirmed)
			}},
		{Method: "POST", Pattern: "/api/v1/reports/{id}/approve", Tag: "reports", Summary: "审核通过并锁定 / Approve and lock",
			Response: stats.Report{}, handle: func(c *call) (any, error) { return sv.Stats.ReviewReport(c.ctx, c.scope, c.id(), true, "") }},
		{Method: "POST", Pattern: "/api/v1/reports/{id}/return", Tag: "reports", Summary: "退回并说明原因 / Return with a reason",
			Body: Review{}, Response: stats.Report{}, handle: func(c *call) (any, error) {
				var in Review
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Stats.ReviewReport(c.ctx, c.scope, c.id(), false, in.Reason)
			}},
	}
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// readUpload reads a file sent as the request body, within the workbook size limit.
func (c *call) readUpload() ([]byte, error) { return c.readUploadUpTo(sheet.DefaultLimits.MaxBytes) }

// readUploadUpTo reads a file sent as the request body, of at most limit bytes.
func (c *call) readUploadUpTo(limit int64) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, limit))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, apperr.New(apperr.TooLarge, fmt.Sprintf("文件超过 %d MB 上限", tooBig.Limit>>20),
			fmt.Sprintf("the file is larger than the %d MB limit", tooBig.Limit>>20))
	}
	if err != nil {
		return nil, apperr.Wrap(apperr.BadRequest, err, "无法读取上传的文件", "the upload could not be read")
	}
	return data, nil
}

// workbookRoutes are the period's workbook: the template to download and the upload.
func (s *Server) workbookRoutes() []route {
	sv := s.svc
	return []route{
		{Method: "GET", Pattern: "/api/v1/periods/{id}/template", Tag: "reports",
			Summary:  "下载填报模板（预填企业与已填数据，含下拉与填写说明） / Download the filing workbook, pre-filled",
			Download: xlsxType, handle: func(c *call) (any, error) {
				data, name, err := reportbook.TemplateFor(c.ctx, sv.Stats, c.scope, c.id())
				if err != nil {
					return nil, err
				}
				return file{name: name, data: data}, nil
			}},
		{Method: "POST", Pattern: "/api/v1/periods/{id}/imports", Tag: "reports",
			Summary: "上传填好的工作簿或 CSV：逐行校验，全部无误才写入（dry_run=true 只预览）；同一文件重复上传不产生变化 / Upload a filled workbook or CSV: every row is checked and all rows apply or none (dry_run=true previews); the same file twice changes nothing",
			Query:   []param{{"dry_run", "boolean", "只校验与预览，不写入 / validate and preview only"}},
			Upload:  true, Response: reportbook.Result{}, handle: func(c *call) (any, error) {
				dry := c.q.BoolPtr("dry_run")
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				if _, err := sv.Stats.GetPeriod(c.ctx, c.scope, c.id()); err != nil {
					return nil, err
				}
				data, err := c.readUpload()
				if err != nil {
					return nil, err
				}
				res, _, err := reportbook.Import(c.ctx, sv.Stats, c.scope, c.id(), data, sheet.DefaultLimits, dry != nil && *dry)
				if err != nil || res.Committed || (dry != nil && *dry) {
					return res, err
				}
				return nil, cellErrors(res.Problems, false)
			}},
	}
}

// cellErrors is a refused upload as a problem naming each bad cell ("C5", or "楼宇!C5" for a
// workbook of several sheets) and its column header.
func cellErrors(problems []sheet.Problem, withSheet bool) error {
	f := apperr.Fields{}
	for _, p := range problems {
		cell := fmt.Sprintf("%s%d", p.Column, p.Row)
		if withSheet {
			cell = p.Sheet + "!" + cell
		}
		f.Add(cell, p.Code, p.Header+"："+p.MessageZh, p.Header+": "+p.MessageEn)
	}
	e := f.Err().(*apperr.Error)
	e.MessageZh = fmt.Sprintf("工作簿有 %d 处错误，未写入任何数据", len(problems))
	e.MessageEn = fmt.Sprintf("the workbook has %d problems; nothing was written", len(problems))
	return e
}

// importUpload runs a workbook import route: it reads dry_run and the upload, and apply's
// result is the answer when it committed or was a dry run; otherwise its problems are a 422
// naming each cell.
func (c *call) importUpload(apply func(data []byte, dryRun bool) (result any, committed bool, problems []sheet.Problem, err error)) (any, error) {
	dry := c.q.BoolPtr("dry_run")
	if err := c.q.Err(); err != nil {
		return nil, err
	}
	data, err := c.readUpload()
	if err != nil {
		return nil, err
	}
	dryRun := dry != nil && *dry
	res, committed, problems, err := apply(data, dryRun)
	if err != nil || committed || dryRun {
		return res, err
	}
	return nil, cellErrors(problems, true)
}
