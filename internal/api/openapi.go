package api

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/servicedesk"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/evaluation"
	"github.com/parkos/parkos/internal/event"
	"github.com/parkos/parkos/internal/goals"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/idempotency"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/policy"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/stats"
)

// Version is the API version printed in the document; cmd/parkos sets it at build time.
var Version = "dev"

// OpenAPI builds the OpenAPI 3.1 document from the route table, with schemas reflected from
// the Go types the handlers read and write, so the document cannot drift from the code.
func (s *Server) OpenAPI() map[string]any {
	g := &schemaGen{schemas: map[string]any{}, names: map[string]reflect.Type{}, answers: map[reflect.Type]bool{}}
	for _, rt := range s.routes {
		if rt.Response != nil {
			g.markAnswer(reflect.TypeOf(rt.Response))
		}
	}
	g.markAnswer(reflect.TypeOf(httpx.Problem{}))
	problem := g.schemaOf(reflect.TypeOf(httpx.Problem{}))
	paths := map[string]map[string]any{}
	for _, rt := range s.routes {
		op := map[string]any{
			"operationId": operationID(rt),
			"summary":     rt.Summary,
			"tags":        []string{rt.Tag},
		}
		var params []any
		for _, name := range pathParams(rt.Pattern) {
			params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, q := range rt.Query {
			schema := map[string]any{"type": q.Type}
			if q.Type == "decimal" {
				schema = decimalSchema(2, "")
			}
			params = append(params, map[string]any{"name": q.Name, "in": "query", "description": q.Desc, "schema": schema})
		}
		if takesIdempotencyKey(rt) {
			params = append(params, map[string]any{"name": idempotency.Header, "in": "header", "schema": map[string]any{
				"type": "string", "minLength": 1, "maxLength": 255},
				"description": "同一用户 24 小时内以同一键重发同一请求，返回首次的结果且不再创建；键用于其他请求时 422 / " +
					"the same request sent again with the same key within 24 h gets the first answer (header Idempotent-Replayed) " +
					"and creates nothing; the key with another request is 422"})
		}
		if params != nil {
			op["parameters"] = params
		}
		binary := map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}
		if rt.Upload {
			kinds := map[string]any{xlsxType: binary, "text/csv": binary}
			if rt.UploadKinds != nil {
				kinds = map[string]any{}
				for _, k := range rt.UploadKinds {
					kinds[k] = binary
				}
			}
			op["requestBody"] = map[string]any{"required": true, "content": kinds}
		}
		if rt.Body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": g.inputSchemaOf(reflect.TypeOf(rt.Body))}}}
		}
		status := rt.Status
		if status == 0 {
			status = http.StatusOK
		}
		ok := map[string]any{"description": http.StatusText(status)}
		if rt.Download != "" {
			content := map[string]any{}
			for kind := range strings.SplitSeq(rt.Download, ",") {
				content[kind] = binary
			}
			ok["content"] = content
		}
		if rt.Response != nil {
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.schemaOf(reflect.TypeOf(rt.Response))}}
		}
		responses := map[string]any{strconv.Itoa(status): ok, "default": map[string]any{"$ref": "#/components/responses/Error"}}
		for _, code := range errorStatuses(rt) {
			responses[strconv.Itoa(code)] = map[string]any{"$ref": "#/components/responses/" + errorResponseName(code)}
		}
		op["responses"] = responses
		op["security"] = []any{} // public: no credentials
		if !rt.Public {
			op["security"] = []any{map[string]any{"bearer": []string{}}}
		}
		if paths[rt.Pattern] == nil {
			paths[rt.Pattern] = map[string]any{}
		}
		paths[rt.Pattern][strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "ParkOS API",
			"version": Version,
			"license": map[string]any{"name": "Apache-2.0", "identifier": "Apache-2.0"},
			"description": "科技园区运营与产业服务平台 API。金额以元为单位、精确到分；面积以平方米为单位、精确到 0.01；日期为 Asia/Shanghai 日历日。\n" +
				"ParkOS API. Money in yuan exact to the fen; areas in m² to 0.01; dates are calendar days in Asia/Shanghai. " +
				"Errors are application/problem+json with a stable `code` and a list of field errors.",
		},
		"servers": []any{map[string]any{"url": "/", "description": "this server / 本服务器"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         g.schemas,
			"responses":       errorResponses(problem),
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
	}
}

// errorStatuses are the error statuses an operation can answer, from what it reads: a body or
// file can be malformed (400), too large (413) or invalid (422); a signed-in route can refuse
// the caller (401, 403) and sign-in the credentials (401); a record named in the path or the
// query can be missing or out of scope (404) and, when changed, in another state or changed
// meanwhile (409); sign-in is rate limited (429).
func errorStatuses(rt route) []int {
	var out []int
	hasBody, named := rt.Body != nil || rt.Upload, len(pathParams(rt.Pattern)) > 0
	signIn := rt.Public && rt.Method == http.MethodPost
	if hasBody {
		out = append(out, http.StatusBadRequest)
	}
	switch {
	case !rt.Public:
		out = append(out, http.StatusUnauthorized, http.StatusForbidden)
	case signIn:
		out = append(out, http.StatusUnauthorized) // wrong credentials
	}
	if named || namesRecordInQuery(rt) {
		out = append(out, http.StatusNotFound)
	}
	if named && rt.Method != http.MethodGet || creates(rt) {
		out = append(out, http.StatusConflict)
	}
	if hasBody {
		out = append(out, http.StatusRequestEntityTooLarge)
	}
	if hasBody || len(rt.Query) > 0 || creates(rt) {
		out = append(out, http.StatusUnprocessableEntity)
	}
	if signIn {
		out = append(out, http.StatusTooManyRequests)
	}
	return out
}

// namesRecordInQuery reports whether the query names a record by id (park_id=…), which is 404
// when it does not exist in the caller's scope.
func namesRecordInQuery(rt route) bool {
	return slices.ContainsFunc(rt.Query, func(q param) bool { return strings.HasSuffix(q.Name, "_id") })
}

// errorResponseName names the shared response of an error status: 404 is NotFound.
func errorResponseName(code int) string {
	return strings.ReplaceAll(strings.ReplaceAll(http.StatusText(code), " ", ""), "-", "")
}

// errorResponses are the shared problem+json responses the operations refer to, one per status.
func errorResponses(problem map[string]any) map[string]any {
	meaning := map[int]string{
		http.StatusBadRequest:            "请求格式错误 / the request is malformed (not JSON, not a workbook)",
		http.StatusUnauthorized:          "未登录或令牌无效 / not signed in, or the token is not valid",
		http.StatusForbidden:             "角色或范围不允许 / the caller's role or scope does not allow it",
		http.StatusNotFound:              "不存在或不在调用者范围内 / no such record within the caller's scope",
		http.StatusConflict:              "状态不允许或已被他人修改 / the record's state does not allow it, or it changed meanwhile",
		http.StatusRequestEntityTooLarge: "请求体或文件过大 / the body or file is too large",
		http.StatusUnprocessableEntity:   "字段无效，errors 逐项说明 / invalid fields, each named in errors",
		http.StatusTooManyRequests:       "尝试过多，请稍后再试 / too many attempts, try again later",
	}
	content := map[string]any{"application/problem+json": map[string]any{"schema": problem}}
	out := map[string]any{"Error": map[string]any{"description": "错误 / Error (RFC 9457)", "content": content}}
	for code, text := range meaning {
		out[errorResponseName(code)] = map[string]any{"description": text, "content": content}
	}
	return out
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

func pathParams(pattern string) []string {
	var out []string
	for _, m := range pathParam.FindAllStringSubmatch(pattern, -1) {
		out = append(out, m[1])
	}
	return out
}

func operationID(rt route) string {
	parts := strings.FieldsFunc(strings.TrimPrefix(rt.Pattern, "/api/v1/"), func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	id := strings.ToLower(rt.Method)
	for _, p := range parts {
		if strings.HasPrefix(p, "{") {
			p = "by_" + strings.Trim(p, "{}")
		}
		id += "_" + p
	}
	return id
}

// enums are the domain's enumerated types with their values, documented as enum: a generated
// client gets a closed set instead of a free string.
var enums = map[reflect.Type][]string{
	reflect.TypeOf(leasing.Status("")):               names(leasing.Statuses),
	reflect.TypeOf(leasing.Stage("")):                names(leasing.Stages),
	reflect.TypeOf(leasing.DayCount("")):             names([]leasing.DayCount{leasing.DayCount365, leasing.DayCountActual}),
	reflect.TypeOf(space.ParkStatus("")):             names(space.ParkStatuses),
	reflect.TypeOf(space.UnitKind("")):               names(space.UnitKinds),
	reflect.TypeOf(enterprise.Stage("")):             names(enterprise.Stages),
	reflect.TypeOf(enterprise.QualificationKind("")): names(enterprise.QualificationKinds),
	reflect.TypeOf(stats.Status("")):                 names(stats.Statuses),
	reflect.TypeOf(stats.Kind("")):                   names(stats.Kinds),
	reflect.TypeOf(identity.Role("")):                names(identity.Roles),
	reflect.TypeOf(leasing.ChargeType("")):           names(leasing.ChargeTypes),
}

// fieldEnums are the string fields whose values are a fixed list but whose type is plain string.
var fieldEnums = map[reflect.Type]map[string][]string{
	reflect.TypeFor[leasing.Target]():     {"metric": leasing.TargetMetrics, "status": leasing.TargetStatuses},
	reflect.TypeFor[leasing.NewTarget]():  {"metric": leasing.TargetMetrics},
	reflect.TypeFor[leasing.Lead]():       {"unit_kinds": names(space.UnitKinds), "facilities": leasing.FacilityNeeds},
	reflect.TypeFor[leasing.NewLead]():    {"unit_kinds": names(space.UnitKinds), "facilities": leasing.FacilityNeeds},
	reflect.TypeFor[leasing.LeadChange](): {"unit_kinds": names(space.UnitKinds), "facilities": leasing.FacilityNeeds},
}

func names[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// schemaGen writes schemas in one of two modes. For an answer, every field is required (an
// answer always carries it). For a request body (input), only the fields of requiredInputs are
// required (the server fills defaults, and a merge patch names only what changes) and unknown
// fields are refused. A struct used both ways (a contract's units) gets two schemas, the
// request's named with "Input".
type schemaGen struct {
	schemas map[string]any
	names   map[string]reflect.Type // schema name → the one type it stands for
	answers map[reflect.Type]bool   // struct types some answer holds
	input   bool                    // writing a request body's schema
}

// markAnswer records the struct types an answer is made of.
func (g *schemaGen) markAnswer(t reflect.Type) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || g.answers[t] {
		return
	}
	g.answers[t] = true
	for _, f := range reflect.VisibleFields(t) {
		g.markAnswer(f.Type)
	}
}

// inputSchemaOf is the schema of a request body.
func (g *schemaGen) inputSchemaOf(t reflect.Type) map[string]any {
	g.input = true
	defer func() { g.input = false }()
	return g.schemaOf(t)
}

// requiredInputs are the fields a request must carry because the service refuses their zero
// value; every other input field has a default. TestRequiredInputsAreRefusedWhenMissing keeps
// this list and the services' rules in step.
var requiredInputs = map[reflect.Type][]string{
	reflect.TypeFor[billing.Run]():                 {"park_id", "billing_date"},
	reflect.TypeFor[policy.NewPolicy]():            {"title", "issuer", "valid_from", "benefit", "amount", "scope", "eligibility"},
	reflect.TypeFor[RuleToWord]():                  {"eligibility"},
	reflect.TypeFor[PolicyAction]():                {"action"},
	reflect.TypeFor[policy.AppAction]():            {"action"},
	reflect.TypeFor[policy.NewDisbursement]():      {"paid_on", "amount"},
	reflect.TypeFor[policy.NewNote]():              {"body"},
	reflect.TypeFor[event.NewEvent]():              {"park_id", "title", "kind", "starts_at", "ends_at", "capacity", "audience"},
	reflect.TypeFor[event.CheckIn]():               {"code"},
	reflect.TypeFor[EventCancel]():                 {"reason"},
	reflect.TypeFor[policy.NewApplication]():       {"policy_id"},
	reflect.TypeFor[billing.WriteOff]():            {"reason"},
	reflect.TypeFor[billing.InvoiceIssued]():       {"invoice_no", "invoice_date"},
	reflect.TypeFor[billing.NewPayment]():          {"enterprise_id", "park_id", "paid_on", "amount", "method"},
	reflect.TypeFor[billing.Reversal]():            {"reason"},
	reflect.TypeFor[billing.Settlement]():          {"settled_on"},
	reflect.TypeFor[InvoiceDetailsInput]():         {"name", "tax_id"},
	reflect.TypeFor[billing.Settings]():            {"reminder_days"},
	reflect.TypeFor[servicedesk.NewProvider]():     {"name", "kind"},
	reflect.TypeFor[servicedesk.NewOffering]():     {"provider_id", "platform", "name", "price_unit"},
	reflect.TypeFor[servicedesk.NewCategory]():     {"code", "name_zh", "name_en", "platform", "response_hours", "resolution_hours"},
	reflect.TypeFor[servicedesk.NewTicket]():       {"category_id", "title", "body"},
	reflect.TypeFor[servicedesk.Action]():          {"action"},
	reflect.TypeFor[servicedesk.NewComment]():      {"body"},
	reflect.TypeFor[servicedesk.Rating]():          {"rating"},
	reflect.TypeFor[servicedesk.Platform]():        {"system", "name_zh", "name_en"},
	reflect.TypeFor[WorkingHours]():                {"hours"},
	reflect.TypeFor[booking.NewResource]():         {"park_id", "code", "name", "kind", "slot_minutes", "min_minutes", "max_minutes", "hours"},
	reflect.TypeFor[booking.ResourceRules]():       {"slot_minutes", "min_minutes", "max_minutes", "hours"},
	reflect.TypeFor[booking.NewBooking]():          {"resource_id", "start", "end"},
	reflect.TypeFor[booking.Decision]():            {"action"},
	reflect.TypeFor[booking.NewCertificate]():      {"park_id", "username", "kind", "issued_on", "expires_on"},
	reflect.TypeFor[booking.Holiday]():             {"day", "name"},
	reflect.TypeFor[notify.NewWebhook]():           {"kind", "url"},
	reflect.TypeFor[notify.Preference]():           {"kind", "channel", "enabled"},
	reflect.TypeFor[LoginRequest]():                {"username", "password"},
	reflect.TypeFor[PasswordChange]():              {"new_password"},
	reflect.TypeFor[TokenRequest]():                {"name"},
	reflect.TypeFor[identity.UserInput]():          {"username", "role", "password"},
	reflect.TypeFor[space.NewPark]():               {"code", "name_zh"},
	reflect.TypeFor[space.NewZone]():               {"park_id", "code", "name_zh"},
	reflect.TypeFor[space.NewBuilding]():           {"park_id", "code", "name"},
	reflect.TypeFor[space.NewFloor]():              {"building_id", "level"},
	reflect.TypeFor[space.NewUnit]():               {"floor_id", "code", "kind", "gross_area"},
	reflect.TypeFor[space.MergeRequest]():          {"code", "unit_ids", "effective_on"},
	reflect.TypeFor[space.SplitRequest]():          {"effective_on", "parts"},
	reflect.TypeFor[leasing.Termination]():         {"terminated_on"},
	reflect.TypeFor[leasing.Renewal]():             {"number", "end_on"},
	reflect.TypeFor[leasing.Amendment]():           {"effective_on"},
	reflect.TypeFor[leasing.Move]():                {"stage"},
	reflect.TypeFor[leasing.ActivityInput]():       {"kind", "text"},
	reflect.TypeFor[leasing.Conversion]():          {"number", "start_on", "end_on"},
	reflect.TypeFor[pool.NewEntry]():               {"park_id", "entered_on", "tier", "reason"},
	reflect.TypeFor[pool.TierDecision]():           {"tier", "effective_on", "reason"},
	reflect.TypeFor[pool.Recognition]():            {"year"},
	reflect.TypeFor[goals.NewGoal]():               {"name", "indicator", "baseline_year", "baseline_value", "target_year", "target_value"},
	reflect.TypeFor[goals.RecordedActual]():        {"year", "value"},
	reflect.TypeFor[evaluation.SchemeInput]():      {"name", "definition"},
	reflect.TypeFor[evaluation.RunRequest]():       {"year"},
	reflect.TypeFor[indicator.Indicator]():         {"code", "name_zh", "name_en", "unit", "formula", "basis"},
	reflect.TypeFor[indicator.SubmissionInput]():   {"year", "figures"},
	reflect.TypeFor[indicator.AttributeInput]():    {"key", "effective_on"},
	reflect.TypeFor[Submission]():                  {"figures"},
	reflect.TypeFor[Review]():                      {"reason"},
	reflect.TypeFor[enterprise.NewEnterprise]():    {"name"},
	reflect.TypeFor[enterprise.NewResidency]():     {"park_id", "move_in"},
	reflect.TypeFor[enterprise.NewQualification](): {"kind"},
	reflect.TypeFor[leasing.NewContract]():         {"number", "enterprise_id", "start_on", "end_on", "units"},
	reflect.TypeFor[leasing.NewTarget]():           {"park_id", "metric", "basis_points", "by_date"},
	reflect.TypeFor[leasing.NewLead]():             {"company", "park_id"},
	reflect.TypeFor[leasing.NewHold]():             {"lead_id", "unit_id", "until"},
	reflect.TypeFor[stats.NewPeriod]():             {"kind", "year", "deadline"},
}

var (
	timeType    = reflect.TypeOf(time.Time{})
	dateType    = reflect.TypeOf(civil.Date{})
	areaType    = reflect.TypeOf(measure.Area(0))
	moneyType   = reflect.TypeOf(measure.Money(0))
	priceType   = reflect.TypeOf(measure.Price(0))
	dec2Type    = reflect.TypeOf(measure.Decimal2(0))
	rawType     = reflect.TypeOf(json.RawMessage(nil))
	figuresType = reflect.TypeOf(stats.Figures(nil))
	valueType   = reflect.TypeOf(policy.Value(nil))
)

// schemaName names a type's schema after its package and name, so that two types of one name
// (leasing.Period and stats.Period) never share a schema: space.Park is SpacePark,
// page.Page[…space.Park] is SpaceParkPage; the API's own types and the problem document keep
// their plain names.
func schemaName(t reflect.Type) string {
	name, pkg := t.Name(), t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:]
	if i := strings.Index(name, "["); i >= 0 {
		inner := name[i+1 : len(name)-1]
		dot := strings.LastIndex(inner, ".")
		innerPkg := inner[strings.LastIndex(inner[:dot], "/")+1 : dot]
		return title(innerPkg) + inner[dot+1:] + name[:i]
	}
	if pkg == "api" || pkg == "httpx" {
		return name
	}
	return title(pkg) + name
}

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// decimalSchema documents an exact decimal: a string, so that no client reads it into a binary
// float, with at most places decimals. Requests may also send a JSON number; it is read from its
// text, never through a float.
func decimalSchema(places int, unit string) map[string]any {
	desc := fmt.Sprintf("十进制数字符串，最多 %d 位小数 / decimal string, at most %d decimals", places, places)
	if unit != "" {
		desc = unit + "; " + desc
	}
	return map[string]any{"type": "string", "format": "decimal", "description": desc,
		"pattern": fmt.Sprintf(`^-?[0-9]+(\.[0-9]{1,%d}0*)?$`, places), "examples": []string{"1234." + strings.Repeat("5", places)}}
}

// figuresSchema documents a report's figures: amounts are decimals in 元, counts integers; a
// figure left blank is absent or null.
func figuresSchema() map[string]any {
	props := map[string]any{}
	for _, m := range stats.Measures {
		var p map[string]any
		if m.Money {
			p = decimalSchema(2, "元 / yuan")
			p["type"] = []string{"string", "null"}
		} else {
			p = map[string]any{"type": []string{"integer", "null"}, "minimum": 0}
		}
		p["title"] = m.Zh + " / " + m.En
		props[m.Key] = p
	}
	return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
}

func (g *schemaGen) schemaOf(t reflect.Type) map[string]any {
	switch t {
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case dateType:
		return map[string]any{"type": []string{"string", "null"}, "format": "date", "description": "YYYY-MM-DD, null when absent"}
	case areaType:
		return decimalSchema(2, "平方米 / m²")
	case moneyType:
		return decimalSchema(2, "元，精确到分 / yuan, exact to the fen")
	case priceType:
		return decimalSchema(4, "元每单位 / yuan per unit")
	case rawType:
		return map[string]any{"type": []string{"object", "null"}, "description": "the record as a JSON object, null when absent"}
	case dec2Type:
		return decimalSchema(2, "")
	case figuresType:
		return figuresSchema()
	case valueType:
		return map[string]any{"anyOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}, map[string]any{"type": "boolean"},
			map[string]any{"type": "array", "items": map[string]any{"type": "string"}}}}
	}
	if values, ok := enums[t]; ok {
		return map[string]any{"type": "string", "enum": values}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.schemaOf(t.Elem())
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Int32:
		return map[string]any{"type": "integer", "format": "int32"}
	case reflect.Float32:
		return map[string]any{"type": "number", "format": "float"}
	case reflect.Float64:
		return map[string]any{"type": "number", "format": "double"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schemaOf(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := schemaName(t)
		if g.input && g.answers[t] {
			name += "Input"
		}
		if other, taken := g.names[name]; taken && other != t {
			panic("openapi: schema name " + name + " stands for both " + other.String() + " and " + t.String())
		}
		g.names[name] = t
		if _, done := g.schemas[name]; !done {
			g.schemas[name] = map[string]any{} // registered before its fields, so a self-referencing type ends here
			props, required := map[string]any{}, []string{}
			for _, f := range reflect.VisibleFields(t) {
				tag, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
				if !f.IsExported() || tag == "-" || f.Anonymous && tag == "" {
					continue
				}
				if tag == "" {
					tag = f.Name
				}
				props[tag] = g.schemaOf(f.Type)
				switch {
				case g.input && slices.Contains(requiredInputs[t], tag):
					required = append(required, tag)
					if f.Type == dateType { // a required day is never null
						props[tag] = map[string]any{"type": "string", "format": "date", "description": "YYYY-MM-DD"}
					}
				case !g.input && !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero"):
					required = append(required, tag)
				case g.input:
					if values, isEnum := enums[f.Type]; isEnum { // an optional choice left empty takes its default
						props[tag] = map[string]any{"type": "string", "enum": append([]string{""}, values...),
							"description": "空为默认值 / empty: the default"}
					}
				}
				if n, err := strconv.Atoi(f.Tag.Get("maxlen")); err == nil && g.input {
					bounded := maps.Clone(props[tag].(map[string]any))
					bounded["maxLength"] = n
					props[tag] = bounded
				}
				if doc := f.Tag.Get("doc"); doc != "" {
					described := maps.Clone(props[tag].(map[string]any))
					described["description"] = doc
					props[tag] = described
				}
				if values, ok := fieldEnums[t][tag]; ok {
					props[tag] = map[string]any{"type": "string", "enum": values}
					if f.Type.Kind() == reflect.Slice {
						props[tag] = map[string]any{"type": "array", "items": props[tag]}
					}
				}
			}
			schema := map[string]any{"type": "object", "properties": props}
			if g.input {
				schema["additionalProperties"] = false // the server refuses fields it does not know
			}
			if len(required) > 0 {
				slices.Sort(required)
				schema["required"] = required
			}
			g.schemas[name] = schema
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}
