package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/refdata"
	"github.com/parkos/parkos/internal/space"
)

// param documents one query parameter.
type param struct{ Name, Type, Desc string }

// route is one API operation: how it is served and how it is documented.
type route struct {
	Method, Pattern string
	Tag             string
	Summary         string // "中文 / English"
	Public          bool   // served without signing in
	Query           []param
	Body            any      // zero value of the request type
	Response        any      // zero value of the response type
	Status          int      // success status, 200 when 0
	Upload          bool     // the request body is a workbook or CSV file, not JSON
	UploadKinds     []string // the media types an upload takes, when not a workbook or CSV
	Download        string   // the response is a file of these media types (comma-separated), not JSON
	Secret          bool     // the answer holds a secret shown once, so it is never kept for an idempotent replay
	Fresh           bool     // a GET without a record id that still reads what its caller may just have changed: never from a replica
	handle          func(c *call) (any, error)
}

// file is a handler's answer when the route downloads a file.
type file struct {
	name string
	data []byte
	kind string // media type, when the route offers several
}

func (s *Server) routeTable() []route {
	sv := s.svc
	var rs []route
	rs = append(rs, s.opsRoutes()...)
	rs = append(rs, s.sessionRoutes()...)
	rs = append(rs, s.userRoutes()...)
	rs = append(rs, crud[space.Park, space.ParkFilter, space.NewPark, space.ParkChange]{
		path: "/api/v1/parks", tag: "space", nameZh: "园区", nameEn: "park",
		sorts: []string{"code", "name", "gross_floor_area", "created_at"},
		filters: []param{{"q", "string", "名称或编码包含 / name or code contains"}, {"district", "string", "区 / district"},
			{"status", "string", "planned | under_construction | operating"}},
		filter: func(q *httpin.Query) space.ParkFilter {
			return space.ParkFilter{Q: q.Str("q"), District: q.Str("district"), Status: space.ParkStatus(q.Str("status"))}
		},
		list: sv.Space.ListParks, get: sv.Space.GetPark, create: creating(space.NewPark.Park, sv.Space.CreatePark), delete: sv.Space.DeletePark,
		patch: patching(sv.Space.GetPark, space.ParkChangeOf, space.ParkChange.Apply, sv.Space.UpdatePark),
	}.routes()...)
	rs = append(rs, crud[space.Zone, space.ZoneFilter, space.NewZone, space.ZoneChange]{
		path: "/api/v1/zones", tag: "space", nameZh: "功能区", nameEn: "zone", sorts: []string{"code", "name"},
		filters: []param{{"park_id", "string", "园区 / park"}},
		filter:  func(q *httpin.Query) space.ZoneFilter { return space.ZoneFilter{ParkID: q.Str("park_id")} },
		list:    sv.Space.ListZones, get: sv.Space.GetZone, create: creating(space.NewZone.Zone, sv.Space.CreateZone), delete: sv.Space.DeleteZone,
		patch: patching(sv.Space.GetZone, space.ZoneChangeOf, space.ZoneChange.Apply, sv.Space.UpdateZone),
	}.routes()...)
	rs = append(rs, crud[space.Building, space.BuildingFilter, space.NewBuilding, space.BuildingChange]{
		path: "/api/v1/buildings", tag: "space", nameZh: "楼宇", nameEn: "building", sorts: []string{"code", "name", "gross_area"},
		filters: []param{{"park_id", "string", "园区 / park"}, {"zone_id", "string", "功能区 / zone"},
			{"q", "string", "名称或编码包含 / name or code contains"}},
		filter: func(q *httpin.Query) space.BuildingFilter {
			return space.BuildingFilter{ParkID: q.Str("park_id"), ZoneID: q.Str("zone_id"), Q: q.Str("q")}
		},
		list: sv.Space.ListBuildings, get: sv.Space.GetBuilding, create: creating(space.NewBuilding.Building, sv.Space.CreateBuilding), delete: sv.Space.DeleteBuilding,
		patch: patching(sv.Space.GetBuilding, space.BuildingChangeOf, space.BuildingChange.Apply, sv.Space.UpdateBuilding),
	}.routes()...)
	rs = append(rs, crud[space.Floor, space.FloorFilter, space.NewFloor, space.FloorChange]{
		path: "/api/v1/floors", tag: "space", nameZh: "楼层", nameEn: "floor", sorts: []string{"level", "gross_area"},
		filters: []param{{"park_id", "string", "园区 / park"}, {"building_id", "string", "楼宇 / building"}},
		filter: func(q *httpin.Query) space.FloorFilter {
			return space.FloorFilter{ParkID: q.Str("park_id"), BuildingID: q.Str("building_id")}
		},
		list: sv.Space.ListFloors, get: sv.Space.GetFloor, create: creating(space.NewFloor.Floor, sv.Space.CreateFloor), delete: sv.Space.DeleteFloor,
		patch: patching(sv.Space.GetFloor, space.FloorChangeOf, space.FloorChange.Apply, sv.Space.UpdateFloor),
	}.routes()...)
	rs = append(rs, crud[space.Unit, space.UnitFilter, space.NewUnit, space.UnitEdit]{
		path: "/api/v1/units", tag: "space", nameZh: "单元", nameEn: "unit", sorts: []string{"code", "gross_area", "list_rent", "kind"},
		filters: []param{{"park_id", "string", "园区 / park"}, {"building_id", "string", "楼宇 / building"},
			{"floor_id", "string", "楼层 / floor"}, {"kind", "string", "单元类型 / unit kind"},
			{"leasable", "boolean", "可租 / leasable"}, {"min_area", "decimal", "最小建筑面积 ㎡ / minimum gross area m²"},
			{"max_area", "decimal", "最大建筑面积 ㎡ / maximum gross area m²"},
			{"biosafety_level", "string", "BSL-1 | BSL-2 | BSL-3"},
			{"on", "string", "在该日期存在的单元，默认今天 / units existing on this date (YYYY-MM-DD), default today"},
			{"include_retired", "boolean", "包括已拆分/合并的单元 / include units retired by split or merge"},
			{"q", "string", "编码包含 / code contains"}},
		filter: func(q *httpin.Query) space.UnitFilter {
			retired := q.BoolPtr("include_retired")
			return space.UnitFilter{ParkID: q.Str("park_id"), BuildingID: q.Str("building_id"), FloorID: q.Str("floor_id"),
				Kind: space.UnitKind(q.Str("kind")), Leasable: q.BoolPtr("leasable"), MinArea: q.Area("min_area"),
				MaxArea: q.Area("max_area"), BiosafetyLevel: q.Str("biosafety_level"), On: q.Date("on"),
				IncludeRetired: retired != nil && *retired, Q: q.Str("q")}
		},
		list: sv.Space.ListUnits, get: sv.Space.GetUnit, create: creating(space.NewUnit.Unit, sv.Space.CreateUnit), delete: sv.Space.DeleteUnit,
		patch: patching(sv.Space.GetUnit, space.UnitEditOf, space.UnitEdit.Apply, sv.Space.UpdateUnit),
	}.routes()...)
	rs = append(rs, s.unitChangeRoutes()...)
	rs = append(rs, crud[enterprise.Enterprise, enterprise.Filter, enterprise.NewEnterprise, enterprise.EnterpriseChange]{
		path: "/api/v1/enterprises", tag: "enterprises", nameZh: "企业", nameEn: "enterprise",
		sorts: []string{"name", "employees", "registered_capital", "created_at"},
		filters: []param{{"q", "string", "名称包含或信用代码等于 / name contains or credit code equals"},
			{"park_id", "string", "园区（档案或入驻） / park (record or residency)"}, {"stage", "string", "发展阶段 / stage"},
			{"industry_code", "string", "GB/T 4754 代码前缀 / GB/T 4754 code prefix"},
			{"qualification", "string", "持有该资质 / holds this qualification"}},
		filter: func(q *httpin.Query) enterprise.Filter {
			return enterprise.Filter{Q: q.Str("q"), ParkID: q.Str("park_id"), Stage: enterprise.Stage(q.Str("stage")),
				IndustryCode: q.Str("industry_code"), Qualification: enterprise.QualificationKind(q.Str("qualification"))}
		},
		list: sv.Enterprise.ListEnterprises, get: sv.Enterprise.GetEnterprise, create: creating(enterprise.NewEnterprise.Enterprise, sv.Enterprise.CreateEnterprise),
		delete: sv.Enterprise.DeleteEnterprise,
		patch:  patching(sv.Enterprise.GetEnterprise, enterprise.EnterpriseChangeOf, enterprise.EnterpriseChange.Apply, sv.Enterprise.UpdateEnterprise),
	}.routes()...)
	rs = append(rs, crud[enterprise.Residency, enterprise.ResidencyFilter, enterprise.NewResidency, enterprise.ResidencyChange]{
		path: "/api/v1/residencies", tag: "enterprises", nameZh: "入驻记录", nameEn: "residency", sorts: []string{"move_in"},
		filters: []param{{"enterprise_id", "string", "企业 / enterprise"}, {"park_id", "string", "园区 / park"},
			{"unit_id", "string", "包含该单元 / includes this unit"}, {"current_on", "string", "该日在驻 / resident on this date (YYYY-MM-DD)"}},
		filter: func(q *httpin.Query) enterprise.ResidencyFilter {
			return enterprise.ResidencyFilter{EnterpriseID: q.Str("enterprise_id"), ParkID: q.Str("park_id"), UnitID: q.Str("unit_id"),
				CurrentOn: q.Date("current_on")}
		},
		list: sv.Enterprise.ListResidencies, get: sv.Enterprise.GetResidency, create: creating(enterprise.NewResidency.Residency, sv.Enterprise.CreateResidency),
		delete: sv.Enterprise.DeleteResidency,
		patch:  patching(sv.Enterprise.GetResidency, enterprise.ResidencyChangeOf, enterprise.ResidencyChange.Apply, sv.Enterprise.UpdateResidency),
	}.routes()...)
	rs = append(rs, crud[enterprise.Qualification, enterprise.QualificationFilter, enterprise.NewQualification, enterprise.QualificationChange]{
		path: "/api/v1/qualifications", tag: "enterprises", nameZh: "资质", nameEn: "qualification", sorts: []string{"kind", "expires_on"},
		filters: []param{{"enterprise_id", "string", "企业 / enterprise"}, {"kind", "string", "资质类型 / kind"},
			{"expiring_within_days", "integer", "N 天内到期 / expiring within N days"}},
		filter: func(q *httpin.Query) enterprise.QualificationFilter {
			f := enterprise.QualificationFilter{EnterpriseID: q.Str("enterprise_id"), Kind: enterprise.QualificationKind(q.Str("kind"))}
			if days := q.Int("expiring_within_days"); days > 0 {
				f.ExpiringBefore = sv.Enterprise.ExpiringBefore(days)
			}
			return f
		},
		list: sv.Enterprise.ListQualifications, get: sv.Enterprise.GetQualification, create: creating(enterprise.NewQualification.Qualification, sv.Enterprise.CreateQualification),
		delete: sv.Enterprise.DeleteQualification,
		patch:  patching(sv.Enterprise.GetQualification, enterprise.QualificationChangeOf, enterprise.QualificationChange.Apply, sv.Enterprise.UpdateQualification),
	}.routes()...)
	rs = append(rs, s.contractRoutes()...)
	rs = append(rs, s.leadRoutes()...)
	rs = append(rs, s.reportRoutes()...)
	rs = append(rs, s.indicatorRoutes()...)
	rs = append(rs, s.poolRoutes()...)
	rs = append(rs, s.goalRoutes()...)
	rs = append(rs, s.bookingRoutes()...)
	rs = append(rs, s.noticeRoutes()...)
	rs = append(rs, s.serviceRoutes()...)
	rs = append(rs, s.policyRoutes()...)
	rs = append(rs, s.eventRoutes()...)
	rs = append(rs, s.billingRoutes()...)
	rs = append(rs, s.evaluationRoutes()...)
	rs = append(rs, s.workbookRoutes()...)
	rs = append(rs, s.onboardingRoutes()...)
	rs = append(rs, s.referenceRoutes()...)
	rs = append(rs, s.auditRoutes()...)
	return rs
}

func (s *Server) opsRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/healthz", Tag: "ops", Summary: "进程存活 / Process is up", Public: true,
			Response: map[string]string{}, handle: func(c *call) (any, error) { return map[string]string{"status": "ok"}, nil }},
		{Method: "GET", Pattern: "/readyz", Tag: "ops", Summary: "数据库可用 / Database answers", Public: true,
			Response: map[string]string{}, handle: func(c *call) (any, error) {
				if err := s.svc.Health.Ready(c.ctx); err != nil {
					c.w.Header().Set("Retry-After", "1")
					if _, ours := apperr.As(err); ours {
						return nil, err
					}
					s.log.Warn("readyz: database does not answer", "err", err)
					return nil, apperr.New(apperr.Internal, "数据库不可用", "the database does not answer")
				}
				return map[string]string{"status": "ready", "engine": s.svc.Health.Engine()}, nil
			}},
		{Method: "GET", Pattern: "/api/v1/openapi.json", Tag: "ops", Summary: "OpenAPI 3 文档 / OpenAPI 3 document", Public: true,
			Response: map[string]any{}, handle: func(c *call) (any, error) { return s.OpenAPI(), nil }},
	}
}

// LoginRequest is the body of POST /api/v1/session.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// SessionResponse answers a successful sign-in.
type SessionResponse struct {
	Token     string        `json:"token"`
	ExpiresAt time.Time     `json:"expires_at"`
	User      identity.User `json:"user"`
}

// PasswordChange is the body of POST /api/v1/me/password and /api/v1/users/{id}/password.
type PasswordChange struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// TokenRequest is the body of POST /api/v1/tokens.
type TokenRequest struct {
	Name      string    `json:"name"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (s *Server) sessionRoutes() []route {
	sv := s.svc
	return []route{
		{Method: "POST", Pattern: "/api/v1/session", Tag: "identity", Summary: "登录，取得令牌 / Sign in and get a token",
			Public: true, Body: LoginRequest{}, Response: SessionResponse{}, Status: http.StatusCreated,
			handle: func(c *call) (any, error) {
				var in LoginRequest
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				var f apperr.Fields
				if in.Username == "" {
					f.Required("username")
				}
				if in.Password == "" {
					f.Required("password")
				}
				if err := f.Err(); err != nil {
					return nil, err
				}
				u, err := s.guard.SignIn(c.w, c.r, in.Username, func() (identity.User, error) { return sv.Accounts.Authenticate(c.ctx, in.Username, in.Password) })
				if err != nil {
					return nil, err
				}
				token, err := sv.Accounts.CreateSession(c.ctx, u, "api", SessionTTL)
				if err != nil {
					return nil, err
				}
				return SessionResponse{Token: token, ExpiresAt: time.Now().Add(SessionTTL).UTC(), User: u}, nil
			}},
		{Method: "DELETE", Pattern: "/api/v1/session", Tag: "identity", Summary: "退出登录 / Sign out", Status: http.StatusNoContent,
			handle: func(c *call) (any, error) { return nil, sv.Accounts.EndSession(c.ctx, c.token, "api") }},
		{Method: "GET", Pattern: "/api/v1/me", Fresh: true, Tag: "identity", Summary: "当前用户 / The signed-in user", Response: identity.User{},
			handle: func(c *call) (any, error) { return c.user, nil }},
		{Method: "POST", Pattern: "/api/v1/me/password", Tag: "identity", Summary: "修改自己的密码（须给出当前密码 current_password） / Change your password (current_password required)",
			Body: PasswordChange{}, Status: http.StatusNoContent, handle: func(c *call) (any, error) {
				var in PasswordChange
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				if err := sv.Accounts.CheckOwnPassword(c.ctx, c.scope, in.CurrentPassword); err != nil {
					return nil, err
				}
				return nil, sv.Accounts.SetPassword(c.ctx, c.scope, c.user.ID, in.NewPassword)
			}},
		{Method: "GET", Pattern: "/api/v1/tokens", Fresh: true, Tag: "identity", Summary: "我的 API 令牌 / Your API tokens",
			Response: []identity.APIToken{}, handle: func(c *call) (any, error) { return sv.Accounts.ListTokens(c.ctx, c.scope) }},
		{Method: "POST", Pattern: "/api/v1/tokens", Tag: "identity",
			Summary: "新建 API 令牌（令牌只显示一次，不接受幂等键） / Create an API token (shown once; takes no idempotency key)",
			Body:    TokenRequest{}, Response: identity.APIToken{}, Status: http.StatusCreated, Secret: true, handle: func(c *call) (any, error) {
				var in TokenRequest
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Accounts.CreateToken(c.ctx, c.scope, in.Name, in.ExpiresAt)
			}},
		{Method: "DELETE", Pattern: "/api/v1/tokens/{id}", Tag: "identity", Summary: "吊销 API 令牌 / Revoke an API token",
			Status: http.StatusNoContent, handle: func(c *call) (any, error) { return nil, sv.Accounts.DeleteToken(c.ctx, c.scope, c.id()) }},
	}
}

func (s *Server) userRoutes() []route {
	sv := s.svc
	return []route{
		{Method: "GET", Pattern: "/api/v1/users", Tag: "identity", Summary: "列出用户 / List users",
			Query: []param{{"q", "string", "用户名或姓名包含 / username or name contains"}, {"role", "string", "角色 / role"},
				{"park_id", "string", "分配到该园区 / assigned to park"}, pageParams[0], pageParams[1],
				describeSorts("username", "role", "created_at")},
			Response: page.Page[identity.User]{}, handle: func(c *call) (any, error) {
				f := identity.UserFilter{Q: c.q.Str("q"), Role: identity.Role(c.q.Str("role")), ParkID: c.q.Str("park_id")}
				req := c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Accounts.ListUsers(c.ctx, c.scope, f, req)
			}},
		{Method: "POST", Pattern: "/api/v1/users", Tag: "identity", Summary: "新建用户 / Create a user",
			Body: identity.UserInput{}, Response: identity.User{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in identity.UserInput
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Accounts.CreateUser(c.ctx, c.scope, in)
			}},
		{Method: "GET", Pattern: "/api/v1/users/{id}", Tag: "identity", Summary: "查看用户 / Get a user", Response: identity.User{},
			handle: func(c *call) (any, error) { return sv.Accounts.GetUser(c.ctx, c.scope, c.id()) }},
		{Method: "PATCH", Pattern: "/api/v1/users/{id}", Tag: "identity", Summary: "修改用户 / Update a user",
			Body: identity.UserChange{}, Response: identity.User{}, handle: func(c *call) (any, error) {
				cur, err := sv.Accounts.GetUser(c.ctx, c.scope, c.id())
				if err != nil {
					return nil, err
				}
				patch, err := httpin.ReadBody(c.w, c.r)
				if err != nil {
					return nil, err
				}
				var in identity.UserInput
				if err := httpin.MergePatch(cur.Input(), patch, &in); err != nil {
					return nil, err
				}
				return sv.Accounts.UpdateUser(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "DELETE", Pattern: "/api/v1/users/{id}", Tag: "identity", Summary: "删除用户 / Delete a user",
			Status: http.StatusNoContent, handle: func(c *call) (any, error) { return nil, sv.Accounts.DeleteUser(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/users/{id}/password", Tag: "identity",
			Summary: "重设用户密码（管理员） / Reset a user's password (administrators)", Body: PasswordChange{},
			Status: http.StatusNoContent, handle: func(c *call) (any, error) {
				var in PasswordChange
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return nil, sv.Accounts.SetPassword(c.ctx, c.scope, c.id(), in.NewPassword)
			}},
	}
}

// LeasableArea answers GET /api/v1/parks/{id}/leasable-area.
type LeasableArea struct {
	ParkID       string       `json:"park_id"`
	On           civil.Date   `json:"on"`
	LeasableArea measure.Area `json:"leasable_area"`
}

func (s *Server) unitChangeRoutes() []route {
	sv := s.svc
	return []route{
		{Method: "POST", Pattern: "/api/v1/units/{id}/split", Tag: "space",
			Summary: "拆分单元（按生效日期） / Split a unit from an effective date", Body: space.SplitRequest{},
			Response: []space.Unit{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in space.SplitRequest
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Space.SplitUnit(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "POST", Pattern: "/api/v1/units/merge", Tag: "space",
			Summary: "合并相邻单元（按生效日期） / Merge neighbouring units from an effective date", Body: space.MergeRequest{},
			Response: space.Unit{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in space.MergeRequest
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Space.MergeUnits(c.ctx, c.scope, in)
			}},
		{Method: "GET", Pattern: "/api/v1/parks/{id}/leasable-area", Tag: "space",
			Summary:  "某日可租建筑面积（拆分合并后历史不变） / Leasable gross area on a date (stable across splits and merges)",
			Query:    []param{{"on", "string", "日期，默认今天 / date (YYYY-MM-DD), default today"}},
			Response: LeasableArea{}, handle: func(c *call) (any, error) {
				on := c.q.Date("on")
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				if on.IsZero() {
					on = s.clock.Today()
				}
				area, err := sv.Space.LeasableArea(c.ctx, c.scope, c.id(), on)
				return LeasableArea{ParkID: c.id(), On: on, LeasableArea: area}, err
			}},
		{Method: "GET", Pattern: "/api/v1/units/{id}/history", Tag: "space", Summary: "单元拆分合并历史 / Split and merge history",
			Response: []space.UnitChange{}, handle: func(c *call) (any, error) { return sv.Space.UnitHistory(c.ctx, c.scope, c.id()) }},
		{Method: "GET", Pattern: "/api/v1/units/{id}/versions", Tag: "space",
			Summary:  "单元各时期的类型、面积与可租状态（按生效日期） / The unit's kind, areas and leasable flag from each effective date",
			Response: []space.UnitVersion{}, handle: func(c *call) (any, error) { return sv.Space.UnitVersions(c.ctx, c.scope, c.id()) }},
	}
}

func (s *Server) referenceRoutes() []route {
	sv := s.svc
	return []route{
		{Method: "GET", Pattern: "/api/v1/industry-classes", Tag: "reference",
			Summary:  "国民经济行业分类（GB/T 4754-2017） / Industry classes (GB/T 4754-2017)",
			Query:    []param{{"prefix", "string", "代码前缀 / code prefix"}, {"q", "string", "名称包含或代码等于 / name contains or code equals"}},
			Response: []refdata.IndustryClass{}, handle: func(c *call) (any, error) {
				return sv.Enterprise.IndustryClasses(c.ctx, c.scope, c.q.Str("prefix"), c.q.Str("q"))
			}},
		{Method: "GET", Pattern: "/api/v1/chains", Tag: "reference", Summary: "产业链图谱 / Industry-chain templates",
			Response: []refdata.Chain{}, handle: func(c *call) (any, error) { return sv.Enterprise.Chains(c.ctx, c.scope) }},
	}
}

func (s *Server) auditRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/api/v1/audit", Tag: "audit",
			Summary: "审计日志（只读，按时间倒序） / Audit trail (read-only, newest first)",
			Query: []param{{"entity", "string", strings.Join(audit.Entities, " | ")}, {"entity_id", "string", "对象 / object id"},
				{"user_id", "string", "操作人 / user"}, {"action", "string", strings.Join(audit.Actions, " | ")},
				{"park_id", "string", "园区 / park"}, {"from", "string", "起始日 / from day (YYYY-MM-DD)"},
				{"to", "string", "截止日（含） / to day, inclusive (YYYY-MM-DD)"}, pageParams[0], pageParams[1]},
			Response: page.Page[audit.Entry]{}, handle: func(c *call) (any, error) {
				f := auditFilter(c.q)
				req := c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return s.svc.Accounts.ListAudit(c.ctx, c.scope, f, req)
			}},
	}
}

// auditFilter reads the audit filters from a query string.
func auditFilter(q *httpin.Query) audit.Filter {
	return audit.Filter{Entity: q.Str("entity"), EntityID: q.Str("entity_id"), UserID: q.Str("user_id"),
		Action: q.Str("action"), ParkID: q.Str("park_id"), From: q.Date("from"), To: q.Date("to")}
}

func (s *Server) contractRoutes() []route {
	sv := s.svc
	rs := crud[leasing.Contract, leasing.Filter, leasing.NewContract, leasing.ContractChange]{
		path: "/api/v1/contracts", tag: "leasing", nameZh: "租赁合同", nameEn: "contract", sorts: []string{"number", "start_on", "end_on"},
		filters: []param{{"park_id", "string", "园区 / park"}, {"enterprise_id", "string", "企业 / enterprise"},
			{"unit_id", "string", "包含该单元 / includes this unit"}, {"status", "string", "draft | active | expired | terminated | renewed"},
			{"active_on", "string", "该日在租 / leasing on this date (YYYY-MM-DD)"},
			{"expiring_by", "string", "在该日或之前到期的生效合同 / active, ending on or before (YYYY-MM-DD)"},
			{"q", "string", "合同编号包含 / number contains"}},
		filter: func(q *httpin.Query) leasing.Filter {
			return leasing.Filter{ParkID: q.Str("park_id"), EnterpriseID: q.Str("enterprise_id"), UnitID: q.Str("unit_id"),
				Status: leasing.Status(q.Str("status")), ActiveOn: q.Date("active_on"), ExpiringBy: q.Date("expiring_by"), Q: q.Str("q")}
		},
		list: sv.Leasing.ListContracts, get: sv.Leasing.GetContract, create: sv.Leasing.CreateContract, delete: sv.Leasing.DeleteContract,
		patch: sv.Leasing.PatchContract,
	}.routes()
	occupancyParams := []param{{"park_id", "string", "园区（管理员与主管部门可留空表示全部园区） / park (empty: all parks, for admin and authority)"},
		{"building_id", "string", "楼宇 / building"}, {"kind", "string", "单元类型 / unit kind"}}
	occupancyFilter := func(q *httpin.Query) leasing.OccupancyFilter {
		return leasing.OccupancyFilter{ParkID: q.Str("park_id"), BuildingID: q.Str("building_id"), Kind: q.Str("kind")}
	}
	rs = append(rs,
		route{Method: "GET", Pattern: "/api/v1/parks/{id}/stack", Tag: "leasing",
			Summary: "租控图：楼层 × 单元，某日状态 / Stack plan: floors × units with their status on a date",
			Query: []param{{"on", "string", "日期，默认今天 / date (YYYY-MM-DD), default today"}, {"building_id", "string", "楼宇 / building"},
				{"kind", "string", "单元类型 / unit kind"}, {"facility", "string", "bsl1 | bsl2 | bsl3 | animal_room | cleanroom | fume_exhaust | pure_water"}},
			Response: leasing.StackPlan{}, handle: func(c *call) (any, error) {
				on := c.q.Date("on")
				f := leasing.StackFilter{BuildingID: c.q.Str("building_id"), Kind: c.q.Str("kind"), Facility: c.q.Str("facility")}
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Leasing.StackPlan(c.ctx, c.scope, c.id(), on, f)
			}},
		route{Method: "GET", Pattern: "/api/v1/targets", Tag: "leasing",
			Summary: "园区去化目标及其进度（已达成 / 未达成 / 按计划 / 落后） / A park's targets with status (met, missed, on track, behind)",
			Query:   []param{{"park_id", "string", "园区 / park"}}, Response: []leasing.Target{},
			handle: func(c *call) (any, error) {
				parkID := c.q.Str("park_id")
				if parkID == "" {
					return nil, apperr.New(apperr.Invalid, "请选择园区", "choose a park")
				}
				return sv.Leasing.Targets(c.ctx, c.scope, parkID)
			}},
		route{Method: "POST", Pattern: "/api/v1/targets", Tag: "leasing", Summary: "设定去化目标 / Set a target",
			Body: leasing.NewTarget{}, Response: leasing.Target{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in leasing.NewTarget
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Leasing.CreateTarget(c.ctx, c.scope, in.Target())
			}},
		route{Method: "DELETE", Pattern: "/api/v1/targets/{id}", Tag: "leasing", Summary: "删除去化目标 / Delete a target",
			Status: http.StatusNoContent, handle: func(c *call) (any, error) { return nil, sv.Leasing.DeleteTarget(c.ctx, c.scope, c.id()) }},
		route{Method: "GET", Pattern: "/api/v1/occupancy", Tag: "leasing",
			Summary:  "某日出租率、承诺率、去化率、WALE、到期与空置 / Occupancy, committed and absorption rates, WALE, expiries and vacancy on a date",
			Query:    append(occupancyParams, param{"on", "string", "日期，默认今天 / date (YYYY-MM-DD), default today"}),
			Response: leasing.Figures{}, handle: func(c *call) (any, error) {
				f, on := occupancyFilter(c.q), c.q.Date("on")
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Leasing.Occupancy(c.ctx, c.scope, f, on)
			}},
		route{Method: "GET", Pattern: "/api/v1/occupancy/series", Tag: "leasing",
			Summary: "月度占用序列（月末值与净吸纳） / Monthly series (month-end figures and net absorption)",
			Query: append(occupancyParams, param{"from", "string", "起始月内任一天 / a day of the first month"},
				param{"to", "string", "结束月内任一天 / a day of the last month"}),
			Response: []leasing.Point{}, handle: func(c *call) (any, error) {
				f, from, to := occupancyFilter(c.q), c.q.Date("from"), c.q.Date("to")
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Leasing.OccupancySeries(c.ctx, c.scope, f, from, to)
			}},
		route{Method: "GET", Pattern: "/api/v1/occupancy/expiries", Tag: "leasing",
			Summary: "到期分布：今后 12 个月每月到期的在租面积 / Expiry profile: leased area ending in each of the next 12 months",
			Query:   occupancyParams, Response: []leasing.MonthArea{}, handle: func(c *call) (any, error) {
				f := occupancyFilter(c.q)
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Leasing.ExpiryProfile(c.ctx, c.scope, f)
			}},
		route{Method: "GET", Pattern: "/api/v1/occupancy/forecast", Tag: "leasing",
			Summary:  "去化预测：已签合同加按阶段概率加权的在谈线索，各月末 / Pipeline forecast at each month end: signed leases plus open leads weighted by stage probability",
			Query:    []param{{"park_id", "string", "园区 / park"}, {"months", "integer", "月数 1–60，默认 12 / months ahead, 1–60, default 12"}},
			Response: []leasing.ForecastPoint{}, handle: func(c *call) (any, error) {
				parkID, months := c.q.Str("park_id"), c.q.Int("months")
				c.q.Require("park_id", parkID)
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				if months == 0 {
					months = 12
				}
				return sv.Leasing.Forecast(c.ctx, c.scope, parkID, months)
			}},
		route{Method: "GET", Pattern: "/api/v1/parks/{id}/rent-roll", Tag: "leasing",
			Summary:  "租金台账：每个单元某日的状态、租户、合同与月租金 / 物业费（与收费计划同样取整） / Rent roll: every unit's status, tenant, lease and monthly charges on a date, rounded as the schedule rounds",
			Query:    []param{{"on", "string", "日期，默认今天 / date (YYYY-MM-DD), default today"}},
			Response: []leasing.RentRollLine{}, handle: func(c *call) (any, error) {
				on := c.q.Date("on")
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Leasing.RentRoll(c.ctx, c.scope, c.id(), on)
			}},
		route{Method: "GET", Pattern: "/api/v1/reminders", Tag: "leasing",
			Summary:  "今日提醒：90/60/30 天内到期的在执行合同、到期跟进的线索、一周内失效的预留 / Today's reminders: leases in force ending within 90/60/30 days, follow-ups due, holds lapsing within a week",
			Response: leasing.Reminders{}, handle: func(c *call) (any, error) {
				return sv.Leasing.Reminders(c.ctx, c.scope)
			}},
	)
	return append(rs,
		route{Method: "POST", Pattern: "/api/v1/contracts/{id}/activate", Tag: "leasing",
			Summary:  "签约生效（检查单元未被重复出租） / Sign: make a draft active (a unit is never let twice)",
			Response: leasing.Contract{}, handle: func(c *call) (any, error) { return sv.Leasing.ActivateContract(c.ctx, c.scope, c.id()) }},
		route{Method: "POST", Pattern: "/api/v1/contracts/{id}/terminate", Tag: "leasing",
			Summary: "提前解约 / Terminate early", Body: leasing.Termination{}, Response: leasing.Contract{},
			handle: func(c *call) (any, error) {
				var in leasing.Termination
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Leasing.TerminateContract(c.ctx, c.scope, c.id(), in)
			}},
		route{Method: "POST", Pattern: "/api/v1/contracts/{id}/renew", Tag: "leasing",
			Summary: "续签（生成草稿） / Renew: draft the successor contract", Body: leasing.Renewal{}, Response: leasing.Contract{},
			Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in leasing.Renewal
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Leasing.RenewContract(c.ctx, c.scope, c.id(), in)
			}},
		route{Method: "POST", Pattern: "/api/v1/contracts/{id}/amendments", Tag: "leasing",
			Summary: "变更：自某日起增减单元 / Amend: add or remove units from a date", Body: leasing.Amendment{},
			Response: leasing.Contract{}, handle: func(c *call) (any, error) {
				var in leasing.Amendment
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Leasing.AmendContract(c.ctx, c.scope, c.id(), in)
			}},
		route{Method: "GET", Pattern: "/api/v1/contracts/{id}/schedule", Tag: "leasing",
			Summary:  "收费计划（精确到分，含计租约定） / Charge schedule (exact to the fen, with its convention)",
			Response: leasing.Schedule{}, handle: func(c *call) (any, error) { return sv.Leasing.ContractSchedule(c.ctx, c.scope, c.id()) }},
	)
}

func (s *Server) leadRoutes() []route {
	sv := s.svc
	rs := crud[leasing.Lead, leasing.LeadFilter, leasing.NewLead, leasing.LeadChange]{
		path: "/api/v1/leads", tag: "leasing", nameZh: "招商线索", nameEn: "lead", sorts: []string{"updated_at", "company", "next_follow_up", "probability"},
		filters: []param{{"park_id", "string", "园区 / park"}, {"stage", "string", "new | contacted | site_visit | proposal | negotiation | won | lost"},
			{"owner_id", "string", "负责人 / owner"}, {"q", "string", "企业或联系人包含 / company or contact contains"},
			{"open", "boolean", "仅跟进中 / open leads only"}, {"stale", "boolean", "仅超过 30 天未跟进 / stale only"},
			{"follow_up_by", "string", "下次跟进在该日或之前 / next follow-up on or before (YYYY-MM-DD)"}},
		filter: func(q *httpin.Query) leasing.LeadFilter {
			open, stale := q.BoolPtr("open"), q.BoolPtr("stale")
			return leasing.LeadFilter{ParkID: q.Str("park_id"), Stage: leasing.Stage(q.Str("stage")), OwnerID: q.Str("owner_id"),
				Q: q.Str("q"), Open: open != nil && *open, StaleOnly: stale != nil && *stale, FollowUpBy: q.Date("follow_up_by")}
		},
		list: sv.Leasing.ListLeads, get: sv.Leasing.GetLead, create: creating(leasing.NewLead.Lead, sv.Leasing.CreateLead), delete: sv.Leasing.DeleteLead,
		patch: patching(sv.Leasing.GetLead, leasing.LeadChangeOf, leasing.LeadChange.Apply, sv.Leasing.UpdateLead),
	}.routes()
	return append(rs,
		route{Method: "POST", Pattern: "/api/v1/leads/{id}/move", Tag: "leasing", Summary: "推进或调整阶段 / Move to a stage",
			Body: leasing.Move{}, Response: leasing.Lead{}, handle: func(c *call) (any, error) {
				var in leasing.Move
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Leasing.MoveLead(c.ctx, c.scope, c.id(), in)
			}},
		route{Method: "GET", Pattern: "/api/v1/leads/{id}/activities", Tag: "leasing", Summary: "跟进时间线 / Timeline",
			Response: []leasing.Activity{}, handle: func(c *call) (any, error) { return sv.Leasing.LeadActivities(c.ctx, c.scope, c.id()) }},
		route{Method: "POST", Pattern: "/api/v1/leads/{id}/activities", Tag: "leasing",
			Summary: "记录电话、拜访、会谈或备注 / Record a call, visit, meeting or note", Body: leasing.ActivityInput{},
			Response: leasing.Lead{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in leasing.ActivityInput
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Leasing.AddActivity(c.ctx, c.scope, c.id(), in)
			}},
		route{Method: "POST", Pattern: "/api/v1/leads/{id}/convert", Tag: "leasing",
			Summary: "成交转化：生成企业与合同草稿 / Convert: create the enterprise and a draft contract", Body: leasing.Conversion{},
			Response: leasing.ConversionResult{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in leasing.Conversion
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Leasing.ConvertLead(c.ctx, c.scope, c.id(), in)
			}},
		route{Method: "GET", Pattern: "/api/v1/holds", Tag: "leasing", Summary: "单元预留 / Holds on units",
			Query: []param{{"park_id", "string", "园区 / park"}, {"lead_id", "string", "线索 / lead"}, {"unit_id", "string", "单元 / unit"},
				{"active_on", "string", "该日有效 / active on (YYYY-MM-DD)"}, {"lapsing_by", "string", "在该日前到期 / lapsing by (YYYY-MM-DD)"},
				pageParams[0], pageParams[1]},
			Response: page.Page[leasing.Hold]{}, handle: func(c *call) (any, error) {
				f := leasing.HoldFilter{ParkID: c.q.Str("park_id"), LeadID: c.q.Str("lead_id"), UnitID: c.q.Str("unit_id"),
					ActiveOn: c.q.Date("active_on"), LapsingBy: c.q.Date("lapsing_by")}
				req := c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Leasing.ListHolds(c.ctx, c.scope, f, req)
			}},
		route{Method: "POST", Pattern: "/api/v1/holds", Tag: "leasing",
			Summary: "为线索预留单元（与他人预留或已签租约冲突时拒绝） / Hold a unit for a lead (refused over another hold or a signed lease)",
			Body:    leasing.NewHold{}, Response: leasing.Hold{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in leasing.NewHold
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Leasing.CreateHold(c.ctx, c.scope, in.Hold())
			}},
		route{Method: "GET", Pattern: "/api/v1/holds/{id}", Tag: "leasing", Summary: "查看预留 / Get a hold", Response: leasing.Hold{},
			handle: func(c *call) (any, error) { return sv.Leasing.GetHold(c.ctx, c.scope, c.id()) }},
		route{Method: "POST", Pattern: "/api/v1/holds/{id}/release", Tag: "leasing", Summary: "释放预留 / Release a hold",
			Response: leasing.Hold{}, handle: func(c *call) (any, error) { return sv.Leasing.ReleaseHold(c.ctx, c.scope, c.id()) }},
	)
}
