package api

import (
	"net/http"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/policy"
	"github.com/parkos/parkos/internal/servicedesk"
)

// RuleToWord is a rule the editor asks to have said in words.
type RuleToWord struct {
	Eligibility policy.Condition `json:"eligibility"`
	Year        int              `json:"year,omitempty" doc:"所读数据的年度，默认为上一年 / the year of figures, last year by default"`
}

// PolicyAction publishes or withdraws a policy, or confirms its 免申即享 grants.
type PolicyAction struct {
	Action string `json:"action" doc:"publish | withdraw | confirm_all"`
}

// PolicyActionResult is a policy after an action, and how many grants were confirmed.
type PolicyActionResult struct {
	Policy    policy.Policy `json:"policy"`
	Confirmed int           `json:"confirmed"`
}

func (s *Server) policyRoutes() []route {
	sv := s.svc
	return []route{
		{Method: "GET", Pattern: "/api/v1/policy-facts", Tag: "policies",
			Summary:  "政策条件可用的企业事实及比较方式 / The enterprise facts eligibility conditions may read, and how each is compared",
			Response: []policy.Fact{}, handle: func(c *call) (any, error) { return sv.Policies.Facts(), nil }},
		{Method: "POST", Pattern: "/api/v1/policy-rules/describe", Tag: "policies",
			Summary: "以中英文表述条件（编辑器边写边看） / Say a rule in Chinese and English, as the editor shows it",
			Body:    RuleToWord{}, Response: policy.Description{}, handle: func(c *call) (any, error) {
				var in RuleToWord
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Policies.Describe(c.ctx, c.scope, in.Eligibility, in.Year)
			}},
		{Method: "GET", Pattern: "/api/v1/policies", Tag: "policies",
			Summary: "政策：按状态、有效期、园区、关键词 / Policies by status, in force on a day, park and words",
			Query: []param{{"status", "string", "draft | published | withdrawn"}, {"in_force", "string", "有效日期 YYYY-MM-DD / in force on this day"},
				{"park_id", "string", "适用园区 / covering this park"}, {"q", "string", "标题、发文单位、文号 / title, issuer or number"},
				describeSorts("valid_from", "title"), pageParams[0], pageParams[1]},
			Response: page.Page[policy.Policy]{}, handle: func(c *call) (any, error) {
				f := policy.PolicyFilter{Status: policy.Status(c.q.Str("status")), InForce: c.q.Date("in_force"), ParkID: c.q.Str("park_id"), Q: c.q.Str("q")}
				req := c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Policies.Policies(c.ctx, c.scope, f, req)
			}},
		{Method: "POST", Pattern: "/api/v1/policies", Tag: "policies",
			Summary: "起草政策：条款、金额规则（定额、比例含上下限、分档）、适用范围与结构化条件 / Draft a policy: text, amount rule (fixed, percentage with floor and cap, bands), scope and structured eligibility",
			Body:    policy.NewPolicy{}, Response: policy.Policy{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in policy.NewPolicy
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Policies.CreatePolicy(c.ctx, c.scope, in)
			}},
		{Method: "GET", Pattern: "/api/v1/policies/{id}", Tag: "policies", Summary: "政策及其条件的中英文表述 / A policy with its rule in words",
			Response: policy.Policy{}, handle: func(c *call) (any, error) { return sv.Policies.Policy(c.ctx, c.scope, c.id()) }},
		{Method: "PUT", Pattern: "/api/v1/policies/{id}", Tag: "policies",
			Summary: "修改政策（已发布的重新匹配） / Change a policy (a published one is matched again)",
			Body:    policy.NewPolicy{}, Response: policy.Policy{}, handle: func(c *call) (any, error) {
				var in policy.NewPolicy
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Policies.UpdatePolicy(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "POST", Pattern: "/api/v1/policies/{id}/actions", Tag: "policies",
			Summary: "发布（匹配并通知符合条件的企业）、废止，或批量确认免申即享 / Publish (match and tell the eligible), withdraw, or confirm every 免申即享 grant",
			Body:    PolicyAction{}, Response: PolicyActionResult{}, handle: func(c *call) (any, error) {
				var in PolicyAction
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				var out PolicyActionResult
				var err error
				switch in.Action {
				case "publish":
					out.Policy, err = sv.Policies.Publish(c.ctx, c.scope, c.id())
				case "withdraw":
					out.Policy, err = sv.Policies.Withdraw(c.ctx, c.scope, c.id())
				case "confirm_all":
					if out.Confirmed, err = sv.Policies.ConfirmAll(c.ctx, c.scope, c.id()); err == nil {
						out.Policy, err = sv.Policies.Policy(c.ctx, c.scope, c.id())
					}
				default:
					if _, err = sv.Policies.Policy(c.ctx, c.scope, c.id()); err == nil {
						err = apperr.FieldProblem("action", "unknown_value", "操作应为 publish、withdraw 或 confirm_all", "action is publish, withdraw or confirm_all")
					}
				}
				return out, err
			}},
		{Method: "GET", Pattern: "/api/v1/policies/{id}/matches", Tag: "policies",
			Summary: "政策匹配：逐项说明（符合、不符合、缺数据，含所用数值与期间）与测算金额 / Who is eligible, each condition explained (met, not met, data missing, with the value and period read) and the estimate",
			Query: []param{{"outcome", "string", "met（默认） | near（差一项） | missing | not_met | all"}, {"park_id", "string", "园区 / park"},
				{"offset", "integer", "跳过条数 / rows to skip"}, {"limit", "integer", "每页条数 1–200 / page size"}},
			Response: policy.Matches{}, handle: func(c *call) (any, error) {
				q := policy.MatchQuery{Outcome: policy.Outcome(c.q.Str("outcome")), ParkID: c.q.Str("park_id"), Offset: c.q.Int("offset"), Limit: c.q.Int("limit")}
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Policies.Matches(c.ctx, c.scope, c.id(), q)
			}},
		{Method: "GET", Pattern: "/api/v1/enterprises/{id}/policies", Tag: "policies",
			Summary:  "企业符合与差一项符合的政策（为你推荐） / The policies an enterprise meets, and those it misses by one condition",
			Response: policy.ForYou{}, handle: func(c *call) (any, error) { return sv.Policies.ForEnterprise(c.ctx, c.scope, c.id()) }},
		{Method: "GET", Pattern: "/api/v1/policy-applications", Tag: "policies",
			Summary: "政策申报 / Policy applications",
			Query: []param{{"policy_id", "string", "政策 / policy"}, {"enterprise_id", "string", "企业 / enterprise"}, {"park_id", "string", "园区 / park"},
				{"status", "string", "draft | submitted | under_review | proposed | approved | rejected | disbursed | withdrawn"},
				{"year", "integer", "创建年度 / year created"}, describeSorts("created", "approved"), pageParams[0], pageParams[1]},
			Response: page.Page[policy.Application]{}, handle: func(c *call) (any, error) {
				f := policy.AppFilter{PolicyID: c.q.Str("policy_id"), EnterpriseID: c.q.Str("enterprise_id"), ParkID: c.q.Str("park_id"),
					Status: policy.AppStatus(c.q.Str("status")), Year: c.q.Int("year")}
				req := c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Policies.Applications(c.ctx, c.scope, f, req)
			}},
		{Method: "POST", Pattern: "/api/v1/policy-applications", Tag: "policies",
			Summary: "企业申报政策（草稿或直接提交） / An enterprise applies for a policy (a draft, or submitted at once)",
			Body:    policy.NewApplication{}, Response: policy.Application{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in policy.NewApplication
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Policies.Apply(c.ctx, c.scope, in)
			}},
		{Method: "GET", Pattern: "/api/v1/policy-applications/{id}", Tag: "policies",
			Summary:  "申报详情：拨付、附件、审核意见（仅审核方）与今日的条件说明 / An application with payments, documents, reviewers' notes (reviewers only) and today's explanation",
			Response: policy.ApplicationDetail{}, handle: func(c *call) (any, error) { return sv.Policies.Application(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/policy-applications/{id}/actions", Tag: "policies",
			Summary: "推进：submit、withdraw（企业）；review、approve（核定金额）、reject（理由）、confirm（审核方） / Move on: submit, withdraw; review, approve with a sum, reject with a reason, confirm",
			Body:    policy.AppAction{}, Response: policy.Application{}, handle: func(c *call) (any, error) {
				var in policy.AppAction
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Policies.Act(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "POST", Pattern: "/api/v1/policy-applications/{id}/disbursements", Tag: "policies",
			Summary: "登记拨付（可分期，拨足即为已拨付） / Record a payment (instalments allowed; paid in full, it is disbursed)",
			Body:    policy.NewDisbursement{}, Response: policy.Application{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in policy.NewDisbursement
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Policies.Disburse(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "POST", Pattern: "/api/v1/policy-applications/{id}/notes", Tag: "policies",
			Summary: "审核意见（企业不可见） / A reviewer's note (never shown to the applicant)",
			Body:    policy.NewNote{}, Response: policy.Note{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in policy.NewNote
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Policies.AddNote(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "POST", Pattern: "/api/v1/policy-applications/{id}/documents", Tag: "policies",
			Summary: "上传申报材料（请求体为文件本身；PDF、PNG、JPEG、TXT、DOCX、XLSX，至多 5 MB） / Attach a document (the body is the file, up to 5 MB)",
			Query:   []param{{"filename", "string", "文件名（含扩展名） / file name with its extension"}},
			Upload:  true, UploadKinds: []string{"application/octet-stream"}, Response: policy.Document{}, Status: http.StatusCreated,
			handle: func(c *call) (any, error) {
				name := c.q.Str("filename")
				data, err := c.readUploadUpTo(servicedesk.MaxAttachment + 1)
				if err != nil {
					return nil, err
				}
				return sv.Policies.Attach(c.ctx, c.scope, c.id(), name, data)
			}},
		{Method: "GET", Pattern: "/api/v1/policy-documents/{id}", Tag: "policies", Summary: "下载申报材料 / Download a document",
			Download: "application/octet-stream", handle: func(c *call) (any, error) {
				d, data, err := sv.Policies.DocumentData(c.ctx, c.scope, c.id())
				return file{name: d.Filename, data: data, kind: d.ContentType}, err
			}},
		{Method: "GET", Pattern: "/api/v1/policy-totals", Tag: "policies",
			Summary: "政策兑现统计：按政策、园区、年度或企业的符合、申报、核定、拨付 / Uptake by policy, park, year or enterprise: eligible, applied, approved, paid",
			Query: []param{{"by", "string", "policy（默认） | park | year | enterprise"}, {"policy_id", "string", "政策 / policy"},
				{"park_id", "string", "园区 / park"}, {"year", "integer", "申报年度 / year of application"}},
			Response: policy.Totals{}, handle: func(c *call) (any, error) {
				f := policy.AppFilter{PolicyID: c.q.Str("policy_id"), ParkID: c.q.Str("park_id"), Year: c.q.Int("year")}
				by := c.q.Str("by")
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Policies.Totals(c.ctx, c.scope, by, f)
			}},
	}
}
