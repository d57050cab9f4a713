package api

import (
	"github.com/parkos/parkos/internal/onboard"
	"github.com/parkos/parkos/internal/onboardbook"
	"github.com/parkos/parkos/internal/sheet"
)

const csvType = "text/csv; charset=utf-8"

// onboardingRoutes are the onboarding workbook (§10): export, blank template and import.
func (s *Server) onboardingRoutes() []route {
	sv := s.svc
	return []route{
		{Method: "GET", Pattern: "/api/v1/onboarding/export", Tag: "onboarding",
			Summary: "导出园区、楼宇、楼层、单元、企业、资质、入驻与合同（xlsx 多表，或 entity 指定一类的 CSV）；导出文件可原样导入 / Export parks to contracts as a workbook, or one kind as CSV; the export imports back unchanged",
			Query: []param{{"park_id", "string", "只导出一个园区 / one park only"}, {"format", "string", "xlsx | csv"},
				{"entity", "string", "CSV 的记录类型 / the kind of record, for CSV: parks | buildings | floors | units | enterprises | qualifications | residencies | contracts | contract_units"}},
			Download: xlsxType + "," + csvType, handle: func(c *call) (any, error) {
				parkID, format := c.q.Str("park_id"), c.q.OneOf("format", "xlsx", "csv")
				entity := c.q.OneOf("entity", onboard.Entities...)
				if format == "csv" {
					c.q.Require("entity", entity)
				}
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				if parkID != "" {
					if _, err := sv.Space.GetPark(c.ctx, c.scope, parkID); err != nil {
						return nil, err
					}
				}
				if format == "csv" {
					data, err := onboardbook.ExportCSV(c.ctx, sv.Onboard, c.scope, parkID, entity)
					return file{name: "parkos-" + entity + ".csv", data: data, kind: csvType}, err
				}
				data, err := onboardbook.Export(c.ctx, sv.Onboard, c.scope, parkID)
				return file{name: "parkos-onboarding.xlsx", data: data, kind: xlsxType}, err
			}},
		{Method: "GET", Pattern: "/api/v1/onboarding/template", Tag: "onboarding",
			Summary:  "下载空白导入模板（各表表头、下拉与填写说明） / Download the blank onboarding workbook",
			Download: xlsxType, handle: func(c *call) (any, error) {
				data, err := onboardbook.Write(onboard.Batch{})
				return file{name: "parkos-onboarding-template.xlsx", data: data}, err
			}},
		{Method: "POST", Pattern: "/api/v1/onboarding/imports", Tag: "onboarding",
			Summary: "上传导入工作簿或 CSV（UTF-8 或 GBK）：逐行校验，全部无误才写入（dry_run=true 只预览新增、修改、不变）；同一文件重复导入不产生变化 / Upload an onboarding workbook or CSV (UTF-8 or GBK): every row is checked and all apply or none (dry_run=true previews created, changed, unchanged); the same file twice changes nothing",
			Query: []param{{"dry_run", "boolean", "只校验与预览，不写入 / validate and preview only"},
				{"entity", "string", "CSV 的记录类型（表头不足以判断时） / what a CSV holds, when its headers do not tell"}},
			Upload: true, Response: onboardbook.Result{}, handle: func(c *call) (any, error) {
				entity := c.q.OneOf("entity", onboard.Entities...)
				return c.importUpload(func(data []byte, dryRun bool) (any, bool, []sheet.Problem, error) {
					res, err := onboardbook.Import(c.ctx, sv.Onboard, c.scope, data, sheet.DefaultLimits, entity, dryRun)
					return res, res.Committed, res.Problems, err
				})
			}},
	}
}
