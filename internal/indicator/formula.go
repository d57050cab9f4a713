package indicator

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/parkos/parkos/internal/stats"
)

// Name is a measure a formula may use.
type Name struct {
	Key    string `json:"key"`
	Zh     string `json:"name_zh"`
	En     string `json:"name_en"`
	Unit   string `json:"unit"`
	OfPark bool   `json:"of_park"` // a park attribute, not summed over enterprises
}

// Names are the measures of formulas: the reported figures (money in 元), the counts the engine
// derives per enterprise-year, and the park attributes.
var Names = func() []Name {
	var out []Name
	for _, m := range stats.Measures {
		unit := "个"
		switch {
		case m.Money:
			unit = "元"
		case m.Key == "employees" || m.Key == "rd_staff":
			unit = "人"
		case strings.Contains(m.Key, "patents"):
			unit = "件"
		}
		out = append(out, Name{m.Key, m.Zh, m.En, unit, false})
	}
	for _, c := range Counts {
		out = append(out, Name{c.Key, c.Zh, c.En, "家", false})
	}
	return append(out,
		Name{"enterprises", "填报企业数", "Reporting enterprises", "家", false},
		Name{"leading_enterprises", "主导产业企业数", "Enterprises in leading industries", "家", false},
		Name{"leading_revenue", "主导产业企业营业收入", "Revenue of enterprises in leading industries", "元", false},
		Name{"land_area", "占地面积", "Land area", "㎡", true},
		Name{"floor_area", "总建筑面积", "Gross floor area", "㎡", true},
		Name{"tech_platforms", "专业技术服务平台数", "Technical service platforms", "个", true},
		Name{"incubators", "专业孵化器数", "Specialised incubators", "个", true},
		Name{"funds", "产业基金数", "Industry funds", "支", true},
		Name{"fund_size", "产业基金规模", "Industry fund size", "元", true},
		Name{"leasable_area", "可租面积（年末）", "Leasable area at year end", "㎡", true},
		Name{"leased_area", "在租面积（年末）", "Leased area at year end", "㎡", true},
		Name{"facility_open_hours", "共享设施开放小时", "Shared facilities' open hours", "小时", true},
		Name{"facility_booked_hours", "共享设施预约小时", "Shared facilities' booked hours", "小时", true},
		Name{"service_requests", "企业服务请求数", "Service requests", "件", true},
		Name{"service_sla_ended", "服务时限已届满的请求数", "Requests whose SLA clock ended", "件", true},
		Name{"service_sla_met", "按时响应并解决的请求数", "Requests answered and resolved on time", "件", true},
		Name{"service_ratings", "服务评价数", "Service ratings", "件", true},
		Name{"service_rating_sum", "服务评分之和", "Sum of service ratings", "分", true},
	)
}()

// NameOf finds a formula measure by key.
func NameOf(key string) (Name, bool) {
	i := slices.IndexFunc(Names, func(n Name) bool { return n.Key == key })
	if i < 0 {
		return Name{}, false
	}
	return Names[i], true
}

// Formula is a compiled indicator formula and the measures it reads.
type Formula struct {
	Text    string
	Uses    []string // measure keys, sorted
	program *vm.Program
}

// FormulaError is a formula refused, with where: line and column count from 1.
type FormulaError struct {
	Line, Column int
	Message      string
}

func (e *FormulaError) Error() string {
	return fmt.Sprintf("formula: line %d, column %d: %s", e.Line, e.Column, e.Message)
}

// formulaEnv is what a formula is type-checked against: every measure a number.
var formulaEnv = func() map[string]any {
	env := make(map[string]any, len(Names))
	for _, n := range Names {
		env[n.Key] = float64(0)
	}
	return env
}()

// Compile checks a formula: arithmetic over the measures in Names and numbers, with the
// builtins min, max, abs; anything else is refused with its position.
func Compile(text string) (Formula, error) {
	if strings.TrimSpace(text) == "" {
		return Formula{}, &FormulaError{1, 1, "empty formula"}
	}
	if len(text) > 1000 {
		return Formula{}, &FormulaError{1, 1001, "a formula is at most 1,000 characters"}
	}
	program, err := expr.Compile(text, expr.Env(formulaEnv), expr.AsFloat64(), expr.DisableAllBuiltins(),
		expr.EnableBuiltin("min"), expr.EnableBuiltin("max"), expr.EnableBuiltin("abs"), expr.MaxNodes(200))
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			return Formula{}, &FormulaError{fe.Line, fe.Column + 1, fe.Message}
		}
		return Formula{}, &FormulaError{1, 1, err.Error()}
	}
	f := Formula{Text: text, program: program}
	node := program.Node()
	ast.Walk(&node, identifiers(func(name string) {
		if _, ok := formulaEnv[name]; ok && !slices.Contains(f.Uses, name) {
			f.Uses = append(f.Uses, name)
		}
	}))
	slices.Sort(f.Uses)
	return f, nil
}

type identifiers func(string)

func (v identifiers) Visit(n *ast.Node) {
	if id, ok := (*n).(*ast.IdentifierNode); ok {
		v(id.Value)
	}
}

// Eval computes the formula over the given measure values (formula units). A result that is not
// a finite number (a division by zero) is not a value.
func (f Formula) Eval(values map[string]float64) (float64, bool) {
	env := make(map[string]any, len(f.Uses))
	for _, k := range f.Uses {
		v, ok := values[k]
		if !ok {
			return 0, false
		}
		env[k] = v
	}
	out, err := vm.Run(f.program, env)
	if err != nil {
		return 0, false
	}
	x, ok := out.(float64)
	if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}
