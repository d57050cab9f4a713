package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/notify"

	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/event"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/policy"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/servicedesk"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/stats"
)

func strs[T ~string](vs []T) []string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, string(v))
		}
	}
	return out
}

// enumValues lists, for each catalog prefix used to translate stored values, every value.
var enumValues = map[string][]string{
	"unit_kind":           strs(space.UnitKinds),
	"park_status":         strs(space.ParkStatuses),
	"bsl":                 strs(space.BiosafetyLevels),
	"animal_room":         strs(space.AnimalRoomGrades),
	"cleanroom":           strs(space.CleanroomGrades),
	"stage":               append(strs(enterprise.Stages), "upstream", "midstream", "downstream"),
	"qualification_kind":  strs(enterprise.QualificationKinds),
	"pool_tier":           strs(pool.Tiers),
	"booking_action":      {"approve", "reject", "check_in", "complete", "no_show", "cancel"},
	"booking_status":      strs(booking.Statuses),
	"resource_kind":       strs(booking.Kinds),
	"weekday":             {"1", "2", "3", "4", "5", "6", "7"},
	"quota_per":           {"week", "month"},
	"notice_kind":         notify.Kinds,
	"ticket_status":       strs(servicedesk.Statuses),
	"ticket_kind":         {"request", "demand"},
	"ticket_queue":        servicedesk.Queues,
	"ticket_action":       {"assign", "start", "resolve", "close", "reopen", "escalate"},
	"price_unit":          servicedesk.PriceUnits,
	"policy_status":       strs(policy.Statuses),
	"benefit":             policy.BenefitTypes,
	"policy_scope":        policy.ScopeKinds,
	"amount_kind":         policy.AmountKinds,
	"measure":             policy.AmountMeasures,
	"event_kind":          event.Kinds,
	"event_audience":      event.Audiences,
	"event_status":        {"scheduled", "cancelled"},
	"registration_status": strs(event.RegStatuses),
	"application_status":  strs(policy.AppStatuses),
	"application_action":  {"submit", "withdraw", "review", "approve", "reject", "confirm"},
	"provider_kind":       servicedesk.ProviderKinds,
	"service_system":      strs(servicedesk.Systems),
	"notice_channel":      notify.Channels,
	"norm":                {"min_max", "benchmark", "bands"},
	"board":               strs(enterprise.ListingBoards),
	"ownership":           strs(enterprise.OwnershipTypes),
	"role":                strs(identity.Roles),
	"audit_entity":        audit.Entities,
	"audit_action":        audit.Actions,
	"audit_source":        {"ui", "api", "cli", "system"},
	"unit_change":         {"split", "merge"},
	"class_level":         {"section", "division", "group", "class"},
	"contract_status":     strs(leasing.Statuses),
	"charge_type":         {"rent", "property_fee", "rent_free", "deposit", "penalty", "booking", "service", "late_fee"},
	"bill_status":         strs(billing.Statuses),
	"pay_method":          append(billing.Methods, "credit_note"),
	"lead_stage":          strs(leasing.Stages),
	"lead_source":         leasing.Sources,
	"facility_need":       leasing.FacilityNeeds,
	"loss_reason":         leasing.LossReasons,
	"activity_kind":       append(append([]string{}, leasing.ActivityKinds...), "stage"),
	"hold_status":         {"active", "released", "converted", "lapsed"},
	"unit_status":         leasing.UnitStatuses,
	"target_metric":       leasing.TargetMetrics,
	"period_kind":         strs(stats.Kinds),
	"report_status":       strs(stats.Statuses),
	"target_status":       {"met", "missed", "on_track", "behind"},
}

var (
	templateKey  = regexp.MustCompile(`\bt \$?[.\w]*[Ll]ang "([^"]+)"`)
	priceKey     = regexp.MustCompile(`\bprice [^}]*"([a-z_]+\.[a-z_0-9]+)"`)
	templateEnum = regexp.MustCompile(`\benum \S+ "([a-z_]+)"`)
	printfKey    = regexp.MustCompile(`printf "([a-z_]+)\.%s"`)
	goKey        = regexp.MustCompile(`\bk\("([^"]+)"\)|rq\.t\("([^"]+)"[,)]|add\("[a-z_]+", "([^"]+)"|i18n\.T\([^,]+, "([^"]+)"[,)]`)
	goDynamic    = regexp.MustCompile(`rq\.t\("([a-z_]+)\."\+`)
	goEnum       = regexp.MustCompile(`enum(?:Options|Label)\([^,]+, "([a-z_]+)"`)
	resourceName = regexp.MustCompile(`name: "([a-z_]+)", base:`)
	errorKey     = regexp.MustCompile(`"(error\.[a-z_]+)"`)
)

func TestCatalogsAreComplete(t *testing.T) {
	zh, en := i18n.Keys("zh-CN"), i18n.Keys("en")
	if !slices.Equal(zh, en) {
		for _, k := range zh {
			if !i18n.Has("en", k) {
				t.Errorf("key %s missing in en", k)
			}
		}
		for _, k := range en {
			if !i18n.Has("zh-CN", k) {
				t.Errorf("key %s missing in zh-CN", k)
			}
		}
	}
	used := map[string]string{} // key → where
	prefixes := map[string]string{}
	add := func(m map[string]string, where string, groups [][]string) {
		for _, g := range groups {
			for _, k := range g[1:] {
				if k != "" {
					m[k] = where
				}
			}
		}
	}
	err := fs.WalkDir(embedded, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(embedded, p)
		add(used, p, templateKey.FindAllStringSubmatch(string(b), -1))
		add(used, p, priceKey.FindAllStringSubmatch(string(b), -1))
		add(prefixes, p, templateEnum.FindAllStringSubmatch(string(b), -1))
		add(prefixes, p, printfKey.FindAllStringSubmatch(string(b), -1))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	goFiles, _ := filepath.Glob("*.go")
	for _, p := range goFiles {
		b, _ := os.ReadFile(p)
		add(used, p, goKey.FindAllStringSubmatch(string(b), -1))
		add(used, p, errorKey.FindAllStringSubmatch(string(b), -1))
		add(prefixes, p, goEnum.FindAllStringSubmatch(string(b), -1))
		add(prefixes, p, goDynamic.FindAllStringSubmatch(string(b), -1))
		for _, m := range resourceName.FindAllStringSubmatch(string(b), -1) {
			used[m[1]+".new"], used[m[1]+".edit"] = p, p
		}
	}
	if len(used) < 200 {
		t.Fatalf("found only %d keys in use; the scanner is broken", len(used))
	}
	for k, where := range used {
		if !i18n.Has("zh-CN", k) || !i18n.Has("en", k) {
			t.Errorf("%s uses key %q, missing from a catalog", where, k)
		}
	}
	for prefix, where := range prefixes {
		vals, ok := enumValues[prefix]
		if !ok {
			t.Errorf("%s translates values with prefix %q; list its values in enumValues", where, prefix)
			continue
		}
		for _, v := range vals {
			for _, lang := range i18n.Languages {
				if !i18n.Has(lang, prefix+"."+v) {
					t.Errorf("%s: no %s translation of %s.%s", where, lang, prefix, v)
				}
			}
		}
	}
}
