package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/refdata"
)

var errNotFound = apperr.ErrNotFound("页面", "page")

func (s *Server) adminRoutes(mux *http.ServeMux) {
	sv := s.svc
	lister[identity.User, identity.UserFilter]{
		path: "/users", title: k("user.list"),
		cols: []colSpec[identity.User]{
			{k("user.username"), "username", false, func(rq *request, u identity.User) cell {
				return cell{Text: u.Username, Link: "/users/" + u.ID + "/edit"}
			}},
			{k("user.display_name"), "", false, func(rq *request, u identity.User) cell { return cell{Text: u.DisplayName} }},
			{k("user.role"), "role", false, func(rq *request, u identity.User) cell { return cell{Text: enumLabel(rq.lang, "role", string(u.Role))} }},
			{k("user.parks"), "", false, func(rq *request, u identity.User) cell {
				var names []string
				for _, p := range u.ParkIDs {
					names = append(names, rq.parkName(p))
				}
				return cell{Text: strings.Join(names, ", "), Wrap: true}
			}},
			{k("user.enterprise"), "", false, func(rq *request, u identity.User) cell {
				if u.EnterpriseID == "" {
					return cell{Text: "—"}
				}
				return cell{Text: rq.enterpriseName(u.EnterpriseID), Link: "/enterprises/" + u.EnterpriseID}
			}},
			{k("user.disabled"), "", false, func(rq *request, u identity.User) cell { return yesNo(rq, u.Disabled) }},
		},
		filters: func(rq *request) []fieldSpec {
			return []fieldSpec{{Name: "q", Label: k("filter.keyword"), Kind: "text"},
				{Name: "role", Label: k("user.role"), Kind: "select", Options: enumOptions(rq, "role", identity.Roles, k("filter.all"))}}
		},
		parse: func(q *httpin.Query) identity.UserFilter {
			return identity.UserFilter{Q: q.Str("q"), Role: identity.Role(q.Str("role"))}
		},
		list: sv.Accounts.ListUsers,
		newURL: func(rq *request) string {
			if rq.user.Role == identity.Admin || rq.user.Role == identity.EntAdmin {
				return "/users/new"
			}
			return ""
		},
	}.mount(s, mux)
	resource[identity.UserInput]{
		name: "user", base: "/users",
		get: func(ctx contextT, sc identity.Scope, id string) (identity.UserInput, error) {
			u, err := sv.Accounts.GetUser(ctx, sc, id)
			return u.Input(), err
		},
		create: func(ctx contextT, sc identity.Scope, in identity.UserInput) (identity.UserInput, error) {
			u, err := sv.Accounts.CreateUser(ctx, sc, in)
			return u.Input(), err
		},
		update: func(ctx contextT, sc identity.Scope, in identity.UserInput) (identity.UserInput, error) {
			u, err := sv.Accounts.UpdateUser(ctx, sc, in.ID, in)
			return u.Input(), err
		},
		remove: sv.Accounts.DeleteUser,
		setID:  func(in *identity.UserInput, id string) { in.ID = id },
		initial: func(rq *request) (identity.UserInput, error) {
			in := identity.UserInput{Role: identity.EntMember, Locale: "zh-CN", EnterpriseID: rq.r.URL.Query().Get("enterprise_id")}
			if rq.user.Role == identity.EntAdmin {
				in.EnterpriseID = rq.user.EnterpriseID
			}
			return in, nil
		},
		detail:      func(identity.UserInput) string { return "/users" },
		afterDelete: func(identity.UserInput) string { return "/users" },
		crumbs:      func(rq *request, _ identity.UserInput) []crumb { return []crumb{{rq.t("nav.users"), "/users"}} },
		specs: func(rq *request, _ identity.UserInput, creating bool) ([]fieldSpec, error) {
			specs := []fieldSpec{
				{Name: "username", Label: k("user.username"), Kind: "text", Required: true},
				{Name: "display_name", Label: k("user.display_name"), Kind: "text"},
				{Name: "email", Label: k("user.email"), Kind: "text"},
				{Name: "role", Label: k("user.role"), Kind: "select", Required: true, Options: rq.roleOptions()},
				{Name: "locale", Label: k("user.locale"), Kind: "select", Options: []option{{"zh-CN", "中文", false}, {"en", "English", false}}},
			}
			if rq.user.Role == identity.Admin {
				parks, err := rq.parkOptions("", false)
				if err != nil {
					return nil, err
				}
				specs = append(specs,
					fieldSpec{Name: "park_ids", Label: k("user.parks"), Kind: "multiselect", Options: parks, Help: k("help.user_parks")},
					fieldSpec{Name: "enterprise_id", Label: k("user.enterprise_id"), Kind: "text", Help: k("help.user_enterprise")})
			} else {
				specs = append(specs, fieldSpec{Name: "enterprise_id", Kind: "hidden"})
			}
			specs = append(specs, fieldSpec{Name: "disabled", Label: k("user.disabled"), Kind: "checkbox"})
			if creating {
				specs = append(specs, fieldSpec{Name: "password", Label: k("user.initial_password"), Kind: "password", Required: true, Help: k("help.password")})
			}
			return specs, nil
		},
	}.mount(s, mux)

	lister[audit.Entry, audit.Filter]{
		path: "/audit", title: k("audit.title"),
		cols: []colSpec[audit.Entry]{
			{k("audit.at"), "at", false, func(rq *request, e audit.Entry) cell {
				return cell{Text: e.At.In(shanghai).Format("2006-01-02 15:04:05")}
			}},
			{k("audit.user"), "", false, func(rq *request, e audit.Entry) cell { return cell{Text: orDash(e.Username)} }},
			{k("audit.source"), "", false, func(rq *request, e audit.Entry) cell { return cell{Text: enumLabel(rq.lang, "audit_source", e.Source)} }},
			{k("audit.action"), "", false, func(rq *request, e audit.Entry) cell { return cell{Text: enumLabel(rq.lang, "audit_action", e.Action)} }},
			{k("audit.entity"), "", false, func(rq *request, e audit.Entry) cell {
				return cell{Text: enumLabel(rq.lang, "audit_entity", e.Entity), Link: entityLink(e)}
			}},
			{k("audit.changes"), "", false, func(rq *request, e audit.Entry) cell { return cell{Text: describeChange(e), Wrap: true} }},
		},
		filters: func(rq *request) []fieldSpec {
			return []fieldSpec{
				{Name: "entity", Label: k("audit.entity"), Kind: "select", Options: enumOptions(rq, "audit_entity", audit.Entities, k("filter.all"))},
				{Name: "action", Label: k("audit.action"), Kind: "select", Options: enumOptions(rq, "audit_action", audit.Actions, k("filter.all"))},
				{Name: "from", Label: k("filter.from"), Kind: "date"},
				{Name: "to", Label: k("filter.to"), Kind: "date"},
			}
		},
		parse: func(q *httpin.Query) audit.Filter {
			return audit.Filter{Entity: q.Str("entity"), EntityID: q.Str("entity_id"), Action: q.Str("action"), ParkID: q.Str("park_id"),
				UserID: q.Str("user_id"), From: q.Date("from"), To: q.Date("to")}
		},
		list: sv.Accounts.ListAudit,
	}.mount(s, mux)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// entityLink points an audit entry at the object's page while it exists.
func entityLink(e audit.Entry) string {
	if e.Action == "delete" {
		return ""
	}
	switch e.Entity {
	case "park", "building", "unit", "enterprise":
		if e.Action == "split" || e.Action == "merge" {
			return ""
		}
		return "/" + e.Entity + "s/" + e.EntityID
	case "qualification", "residency":
		if e.EnterpriseID != "" {
			return "/enterprises/" + e.EnterpriseID
		}
	}
	return ""
}

// describeChange lists the top-level fields that differ between before and after, as
// "field: old → new", so a reader sees what changed without reading JSON.
func describeChange(e audit.Entry) string {
	var before, after map[string]any
	_ = json.Unmarshal(e.Before, &before)
	_ = json.Unmarshal(e.After, &after)
	if before == nil || after == nil {
		return ""
	}
	var keys []string
	for key := range after {
		if key == "updated_at" || key == "created_at" {
			continue
		}
		if !sameJSON(before[key], after[key]) {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, key := range keys {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %s → %s", key, short(before[key]), short(after[key]))
	}
	return b.String()
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func short(v any) string {
	b, _ := json.Marshal(v)
	s := strings.Trim(string(b), `"`)
	if len([]rune(s)) > 60 {
		s = string([]rune(s)[:60]) + "…"
	}
	return s
}

type referenceView struct {
	Classes []refdata.IndustryClass
	Chains  []refdata.Chain
}

func (s *Server) referencePage(rq *request) error {
	classes, err := s.svc.Enterprise.IndustryClasses(rq.ctx, rq.scope, "", "")
	if err != nil {
		return err
	}
	chains, err := s.svc.Enterprise.Chains(rq.ctx, rq.scope)
	if err != nil {
		return err
	}
	s.render(rq, "reference", rq.t("reference.title"), referenceView{Classes: classes, Chains: chains})
	return nil
}
