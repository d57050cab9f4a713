package api

import (
	"net/http"

	"github.com/parkos/parkos/internal/goals"
)

func (s *Server) goalRoutes() []route {
	sv := s.svc
	return []route{
		{Method: "GET", Pattern: "/api/v1/goals", Tag: "goals", Summary: "目标与规划 / Goals and plans",
			Response: []goals.Goal{}, handle: func(c *call) (any, error) { return sv.Goals.List(c.ctx, c.scope) }},
		{Method: "POST", Pattern: "/api/v1/goals", Tag: "goals",
			Summary: "设定目标：指标、园区范围（group，默认 all）、基期与目标 / Set a goal: indicator, parks (group, all by default), baseline and target",
			Body:    goals.NewGoal{}, Response: goals.Goal{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in goals.NewGoal
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Goals.Create(c.ctx, c.scope, in)
			}},
		{Method: "GET", Pattern: "/api/v1/goals/{id}", Tag: "goals",
			Summary:  "目标进度：所需年均增速、各年实际值、是否达到进度、剩余所需增速 / Progress: required CAGR, actuals, on track, remaining CAGR",
			Response: goals.Progress{}, handle: func(c *call) (any, error) { return sv.Goals.Progress(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/goals/{id}/actuals", Tag: "goals", Summary: "录入某年实际值（官方统计） / Record a year's actual (official statistics)",
			Body: goals.RecordedActual{}, Response: goals.Goal{}, handle: func(c *call) (any, error) {
				var in goals.RecordedActual
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Goals.RecordActual(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "DELETE", Pattern: "/api/v1/goals/{id}", Tag: "goals", Summary: "删除目标 / Delete a goal", Status: http.StatusNoContent,
			handle: func(c *call) (any, error) { return nil, sv.Goals.Delete(c.ctx, c.scope, c.id()) }},
	}
}
