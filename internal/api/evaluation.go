package api

import (
	"net/http"

	"github.com/parkos/parkos/internal/evaluation"
)

func (s *Server) evaluationRoutes() []route {
	sv := s.svc
	return []route{
		{Method: "GET", Pattern: "/api/v1/evaluation-templates", Tag: "evaluation", Summary: "随附的评价方案模板 / Scheme templates shipped with ParkOS",
			Response: []evaluation.Template{}, handle: func(c *call) (any, error) { return evaluation.Templates, nil }},
		{Method: "GET", Pattern: "/api/v1/evaluation-schemes", Tag: "evaluation", Summary: "评价方案（各版本） / Evaluation schemes (every version)",
			Response: []evaluation.Scheme{}, handle: func(c *call) (any, error) { return sv.Evaluation.Schemes(c.ctx, c.scope) }},
		{Method: "POST", Pattern: "/api/v1/evaluation-schemes", Tag: "evaluation",
			Summary: "新建评价方案（同名则为新版本） / Create a scheme (a new version of a name already used)",
			Body:    evaluation.SchemeInput{}, Response: evaluation.Scheme{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in evaluation.SchemeInput
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Evaluation.CreateScheme(c.ctx, c.scope, in)
			}},
		{Method: "GET", Pattern: "/api/v1/evaluation-schemes/{id}", Tag: "evaluation", Summary: "评价方案 / A scheme version",
			Response: evaluation.Scheme{}, handle: func(c *call) (any, error) { return sv.Evaluation.Scheme(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/evaluation-schemes/{id}/revisions", Tag: "evaluation",
			Summary: "修订方案：未使用的就地修改，已运行（冻结）的生成新版本 / Revise: in place until run, else as the next version",
			Body:    evaluation.SchemeInput{}, Response: evaluation.Scheme{}, handle: func(c *call) (any, error) {
				var in evaluation.SchemeInput
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Evaluation.ReviseScheme(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "GET", Pattern: "/api/v1/evaluation-schemes/{id}/runs", Tag: "evaluation", Summary: "方案的评价结果 / A scheme's runs",
			Response: []evaluation.Run{}, handle: func(c *call) (any, error) { return sv.Evaluation.Runs(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/evaluation-schemes/{id}/runs", Tag: "evaluation",
			Summary: "运行年度评价（冻结方案） / Run the evaluation for a year (freezes the scheme)",
			Body:    evaluation.RunRequest{}, Response: evaluation.Run{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in evaluation.RunRequest
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Evaluation.Run(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "GET", Pattern: "/api/v1/evaluation-runs/{id}", Tag: "evaluation",
			Summary:  "评价结果：得分、逐项说明、排名、门槛、推荐梯队 / A run: scores explained per indicator, ranking, gates, tiers",
			Response: evaluation.Run{}, handle: func(c *call) (any, error) { return sv.Evaluation.GetRun(c.ctx, c.scope, c.id()) }},
		{Method: "GET", Pattern: "/api/v1/evaluation-runs/{id}/export", Tag: "evaluation", Summary: "导出评价结果 / Export a run as a workbook",
			Download: xlsxType, handle: func(c *call) (any, error) {
				data, name, err := sv.Evaluation.Workbook(c.ctx, c.scope, c.id())
				return file{name: name, data: data}, err
			}},
	}
}
