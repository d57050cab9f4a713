package api

import (
	"net/http"

	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/poolbook"
	"github.com/parkos/parkos/internal/sheet"
)

func (s *Server) poolRoutes() []route {
	sv := s.svc
	return []route{
		{Method: "GET", Pattern: "/api/v1/pool", Tag: "pool", Summary: "入库园区 / The park pool",
			Query: []param{{"tier", "string", "planning（规划布局）| reserve（储备培育）| key（重点打造）"}, {"district", "string", "区 / district"},
				{"featured_year", "integer", "该年度认定的特色产业园 / recognised as featured in this year"},
				{"q", "string", "名称或编码包含 / name or code contains"}, describeSorts("entered_on"), pageParams[0], pageParams[1]},
			Response: page.Page[pool.Entry]{}, handle: func(c *call) (any, error) {
				f := pool.Filter{Tier: pool.Tier(c.q.Str("tier")), District: c.q.Str("district"), FeaturedYear: c.q.Int("featured_year"), Q: c.q.Str("q")}
				req := c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Pool.List(c.ctx, c.scope, f, req)
			}},
		{Method: "POST", Pattern: "/api/v1/pool", Tag: "pool", Summary: "园区入库 / Enter a park into the pool",
			Body: pool.NewEntry{}, Response: pool.Entry{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in pool.NewEntry
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Pool.Enter(c.ctx, c.scope, in)
			}},
		{Method: "POST", Pattern: "/api/v1/pool/imports", Tag: "pool",
			Summary: "导入首批入库园区（xlsx 或 CSV：园区编码、入库日期、梯队、理由、特色产业园认定年度）：逐行校验，全部无误才写入 / Import the initial pool (xlsx or CSV: park code, entry date, tier, reason, featured years): every row is checked, all apply or none",
			Query:   []param{{"dry_run", "boolean", "只校验与预览，不写入 / validate and preview only"}},
			Upload:  true, Response: poolbook.Result{}, handle: func(c *call) (any, error) {
				return c.importUpload(func(data []byte, dryRun bool) (any, bool, []sheet.Problem, error) {
					res, err := poolbook.Import(c.ctx, sv.Pool, c.scope, data, sheet.DefaultLimits, dryRun)
					return res, res.Committed, res.Problems, err
				})
			}},
		{Method: "GET", Pattern: "/api/v1/pool/{id}", Tag: "pool", Summary: "入库园区及其梯队历史（按园区 id） / A pooled park with its tier history (by park id)",
			Response: pool.Entry{}, handle: func(c *call) (any, error) { return sv.Pool.Get(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/pool/{id}/tier", Tag: "pool", Summary: "调整梯队（生效日期与理由） / Change the tier, from a date, with a reason",
			Body: pool.TierDecision{}, Response: pool.Entry{}, handle: func(c *call) (any, error) {
				var in pool.TierDecision
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Pool.ChangeTier(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "POST", Pattern: "/api/v1/pool/{id}/recognitions", Tag: "pool", Summary: "认定为年度特色产业园 / Recognise as a featured park for a year",
			Body: pool.Recognition{}, Response: pool.Entry{}, handle: func(c *call) (any, error) {
				var in pool.Recognition
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Pool.Recognise(c.ctx, c.scope, c.id(), in)
			}},
	}
}
