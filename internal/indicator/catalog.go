package indicator

import (
	"fmt"
	"regexp"

	"github.com/parkos/parkos/internal/apperr"
)

// Indicator is an entry of the catalog (§6): a formula over the measures of Names, or the growth
// of another indicator.
type Indicator struct {
	Code           string `json:"code"`
	NameZh         string `json:"name_zh"`
	NameEn         string `json:"name_en"`
	Unit           string `json:"unit"`
	Formula        string `json:"formula"`
	Basis          string `json:"basis"` // revenue, area, staff, count
	Stock          bool   `json:"stock"` // a year-end stock; else a flow over the year
	HigherIsBetter bool   `json:"higher_is_better"`
	Source         string `json:"source"` // reports, park attributes
	DefinitionZh   string `json:"definition_zh"`
	DefinitionEn   string `json:"definition_en"`
	// GrowthOf makes this indicator the growth of another over GrowthYears years: YoY for 1, CAGR
	// for more; its formula is the other's.
	GrowthOf    string `json:"growth_of,omitempty"`
	GrowthYears int    `json:"growth_years,omitempty"`
	BuiltIn     bool   `json:"built_in"`
}

// BuiltIns are the §6 indicators every installation has.
var BuiltIns = []Indicator{
	{Code: "revenue", NameZh: "营业收入", NameEn: "Total revenue", Unit: "亿元", Formula: "revenue / 1e8", Basis: "revenue", HigherIsBetter: true, Source: "reports",
		DefinitionZh: "园区内完整填报企业当年营业收入之和。", DefinitionEn: "The year's revenue summed over the park's enterprises with a complete year."},
	{Code: "revenue_growth", NameZh: "营业收入同比增长率", NameEn: "Revenue growth (YoY)", Unit: "%", Formula: "revenue / 1e8", Basis: "revenue", HigherIsBetter: true, Source: "reports",
		GrowthOf: "revenue", GrowthYears: 1,
		DefinitionZh: "当年营业收入合计 ÷ 上年营业收入合计 − 1（园区合计口径；同口径增长另列）。", DefinitionEn: "This year's revenue total ÷ last year's − 1 (park totals; like-for-like shown separately)."},
	{Code: "revenue_cagr_3", NameZh: "营业收入三年复合增长率", NameEn: "Revenue CAGR over 3 years", Unit: "%", Formula: "revenue / 1e8", Basis: "revenue", HigherIsBetter: true, Source: "reports",
		GrowthOf: "revenue", GrowthYears: 3,
		DefinitionZh: "(当年营业收入 ÷ 三年前营业收入)^(1/3) − 1。", DefinitionEn: "(this year's revenue ÷ revenue three years before)^(1/3) − 1."},
	{Code: "industrial_output", NameZh: "工业总产值", NameEn: "Industrial output", Unit: "亿元", Formula: "industrial_output / 1e8", Basis: "revenue", HigherIsBetter: true, Source: "reports",
		DefinitionZh: "完整填报企业当年工业总产值之和。", DefinitionEn: "Industrial output in the year, summed over enterprises with a complete year."},
	{Code: "rd_expense", NameZh: "研发投入", NameEn: "R&D expenditure", Unit: "亿元", Formula: "rd_expense / 1e8", Basis: "revenue", HigherIsBetter: true, Source: "reports",
		DefinitionZh: "完整填报企业当年研发费用之和。", DefinitionEn: "R&D expenditure in the year, summed over enterprises with a complete year."},
	{Code: "land_output", NameZh: "地均产出", NameEn: "Land output", Unit: "亿元/km²", Formula: "(revenue / 1e8) / (land_area / 1e6)", Basis: "area", HigherIsBetter: true, Source: "reports, park attributes",
		DefinitionZh: "营业收入（亿元）÷ 占地面积（平方公里），注明所用面积及其日期。", DefinitionEn: "Revenue (亿元) ÷ land area (km²), with the area used and its date."},
	{Code: "floor_output", NameZh: "单位建筑面积产出", NameEn: "Output per built area", Unit: "万元/㎡", Formula: "(revenue / 1e4) / floor_area", Basis: "area", HigherIsBetter: true, Source: "reports, park attributes",
		DefinitionZh: "营业收入（万元）÷ 总建筑面积（㎡）。", DefinitionEn: "Revenue (万元) ÷ gross floor area (m²)."},
	{Code: "rd_intensity", NameZh: "研发投入强度", NameEn: "R&D intensity", Unit: "%", Formula: "rd_expense / revenue * 100", Basis: "revenue", HigherIsBetter: true, Source: "reports",
		DefinitionZh: "研发费用合计 ÷ 营业收入合计（同一批企业，合计之比）。", DefinitionEn: "R&D expenditure ÷ revenue, summed over the same enterprises (a ratio of sums)."},
	{Code: "invention_patents_per_10k", NameZh: "万人发明专利授权量", NameEn: "Invention patents granted per 10,000 staff", Unit: "件/万人",
		Formula: "invention_patents_granted / employees * 10000", Basis: "staff", HigherIsBetter: true, Source: "reports",
		DefinitionZh: "当年发明专利授权量合计 ÷ 年末从业人员合计 × 10,000。", DefinitionEn: "Invention patents granted in the year ÷ year-end employees × 10,000."},
	{Code: "valid_invention_patents_per_10k", NameZh: "万人有效发明专利拥有量", NameEn: "Valid invention patents per 10,000 staff", Unit: "件/万人",
		Formula: "invention_patents_held / employees * 10000", Basis: "staff", Stock: true, HigherIsBetter: true, Source: "reports",
		DefinitionZh: "年末有效发明专利拥有量合计 ÷ 年末从业人员合计 × 10,000。", DefinitionEn: "Valid invention patents held at year end ÷ year-end employees × 10,000."},
	{Code: "leading_concentration", NameZh: "主导产业集聚度", NameEn: "Leading-industry concentration", Unit: "%", Formula: "leading_revenue / revenue * 100", Basis: "revenue", HigherIsBetter: true, Source: "reports, industry classes",
		DefinitionZh: "国民经济行业分类或产业链节点属于园区主导产业的企业营业收入 ÷ 园区营业收入。", DefinitionEn: "Revenue of enterprises whose GB/T 4754 class or chain node falls under the park's leading industries ÷ park revenue."},
	{Code: "leading_concentration_count", NameZh: "主导产业集聚度（企业数口径）", NameEn: "Leading-industry concentration (count basis)", Unit: "%",
		Formula: "leading_enterprises / enterprises * 100", Basis: "count", HigherIsBetter: true, Source: "reports, industry classes",
		DefinitionZh: "主导产业企业数 ÷ 园区填报企业数。", DefinitionEn: "Enterprises in the leading industries ÷ the park's reporting enterprises."},
	{Code: "tax", NameZh: "纳税总额", NameEn: "Tax paid", Unit: "亿元", Formula: "tax / 1e8", Basis: "revenue", HigherIsBetter: true, Source: "reports",
		DefinitionZh: "完整填报企业当年纳税之和。", DefinitionEn: "Tax paid in the year, summed over enterprises with a complete year."},
	{Code: "exports", NameZh: "出口额", NameEn: "Exports", Unit: "亿元", Formula: "exports / 1e8", Basis: "revenue", HigherIsBetter: true, Source: "reports",
		DefinitionZh: "完整填报企业当年出口额之和。", DefinitionEn: "Exports in the year, summed over enterprises with a complete year."},
	{Code: "employees", NameZh: "从业人员", NameEn: "Employees", Unit: "人", Formula: "employees", Basis: "staff", Stock: true, HigherIsBetter: true, Source: "reports",
		DefinitionZh: "年末从业人员之和。", DefinitionEn: "Year-end employees, summed."},
	{Code: "occupancy_rate", NameZh: "出租率（年末）", NameEn: "Occupancy at year end", Unit: "%", Formula: "leased_area / leasable_area * 100", Basis: "area", Stock: true, HigherIsBetter: true, Source: "leases",
		DefinitionZh: "年末在租面积 ÷ 年末可租面积（来自园区租赁台账的月末快照；当年按本月月末）。", DefinitionEn: "Leased ÷ leasable area at year end (from the park's month-end lease snapshots; this month's end for the current year)."},
	{Code: "facility_utilisation", NameZh: "共享平台利用率", NameEn: "Shared-platform utilisation", Unit: "%", Formula: "facility_booked_hours / facility_open_hours * 100", Basis: "count", HigherIsBetter: true, Source: "bookings",
		DefinitionZh: "园区共享设施当年已确认、已签到、已完成和爽约预约的小时数 ÷ 开放小时数（扣除休息日，自资源启用日起）。", DefinitionEn: "Hours of the park's shared facilities booked in the year (confirmed, checked in, completed or no-show) ÷ their open hours (holidays excluded, from each resource's start)."},
	{Code: "service_requests", NameZh: "企业服务请求量", NameEn: "Service requests", Unit: "件", Formula: "service_requests", Basis: "count", HigherIsBetter: true, Source: "service requests",
		DefinitionZh: "当年提交给园区的企业服务请求（工单）数。", DefinitionEn: "Service requests enterprises submitted to the park in the year."},
	{Code: "service_sla_compliance", NameZh: "服务时限达标率", NameEn: "Service SLA compliance", Unit: "%", Formula: "service_sla_met / service_sla_ended * 100", Basis: "count", HigherIsBetter: true, Source: "service requests",
		DefinitionZh: "当年提交、解决时限已届满（已解决或已超时）的请求中，在工作时间内按时响应且按时解决的比例。", DefinitionEn: "Of the year's requests whose resolution clock ended (resolved or overdue), the share answered and resolved within their SLA in working hours."},
	{Code: "service_satisfaction", NameZh: "服务满意度", NameEn: "Service satisfaction", Unit: "分", Formula: "service_rating_sum / service_ratings", Basis: "count", HigherIsBetter: true, Source: "service requests",
		DefinitionZh: "当年提交的请求所得评分（1–5）的平均值。", DefinitionEn: "Mean rating (1–5) of the requests submitted in the year."},
	{Code: "high_tech_enterprises", NameZh: "国家高新技术企业数", NameEn: "National high-tech enterprises", Unit: "家", Formula: "high_tech_enterprises", Basis: "count", Stock: true, HigherIsBetter: true, Source: "reports, qualifications",
		DefinitionZh: "完整填报企业中 12 月 31 日持有有效国家高新技术企业证书的家数。", DefinitionEn: "Enterprises with a complete year holding a valid national high-tech certificate on 31 December."},
	{Code: "listed_enterprises", NameZh: "上市公司数", NameEn: "Listed companies", Unit: "家", Formula: "listed_enterprises", Basis: "count", Stock: true, HigherIsBetter: true, Source: "reports, qualifications",
		DefinitionZh: "完整填报企业中 12 月 31 日为上市公司的家数。", DefinitionEn: "Enterprises with a complete year that are listed on 31 December."},
	{Code: "unicorns", NameZh: "独角兽企业数", NameEn: "Unicorns", Unit: "家", Formula: "unicorns", Basis: "count", Stock: true, HigherIsBetter: true, Source: "reports, qualifications",
		DefinitionZh: "完整填报企业中 12 月 31 日认定为独角兽的家数。", DefinitionEn: "Enterprises with a complete year recognised as unicorns on 31 December."},
	{Code: "little_giants", NameZh: "专精特新“小巨人”企业数", NameEn: "\"Little giant\" enterprises", Unit: "家", Formula: "little_giants", Basis: "count", Stock: true, HigherIsBetter: true, Source: "reports, qualifications",
		DefinitionZh: "完整填报企业中 12 月 31 日持有有效专精特新“小巨人”认定的家数。", DefinitionEn: "Enterprises with a complete year holding a valid \"little giant\" recognition on 31 December."},
	{Code: "scientist_founded", NameZh: "科学家创办企业数", NameEn: "Scientist-founded companies", Unit: "家", Formula: "scientist_founded", Basis: "count", Stock: true, HigherIsBetter: true, Source: "reports, enterprise records",
		DefinitionZh: "完整填报企业中由知名科学家创办的家数。", DefinitionEn: "Enterprises with a complete year founded by a noted scientist."},
	{Code: "tech_platforms", NameZh: "专业技术服务平台", NameEn: "Technical service platforms", Unit: "个", Formula: "tech_platforms", Basis: "count", Stock: true, HigherIsBetter: true, Source: "park attributes",
		DefinitionZh: "年末园区专业技术服务平台数量。", DefinitionEn: "The park's technical service platforms at year end."},
	{Code: "incubators", NameZh: "专业孵化器", NameEn: "Specialised incubators", Unit: "个", Formula: "incubators", Basis: "count", Stock: true, HigherIsBetter: true, Source: "park attributes",
		DefinitionZh: "年末园区专业孵化器数量。", DefinitionEn: "The park's specialised incubators at year end."},
	{Code: "funds", NameZh: "产业基金数量", NameEn: "Industry funds", Unit: "支", Formula: "funds", Basis: "count", Stock: true, HigherIsBetter: true, Source: "park attributes",
		DefinitionZh: "年末园区产业基金数量。", DefinitionEn: "The park's industry funds at year end."},
	{Code: "fund_size", NameZh: "产业基金规模", NameEn: "Industry fund size", Unit: "亿元", Formula: "fund_size / 1e8", Basis: "count", Stock: true, HigherIsBetter: true, Source: "park attributes",
		DefinitionZh: "年末园区产业基金规模合计。", DefinitionEn: "The size of the park's industry funds at year end."},
}

func init() {
	for i := range BuiltIns {
		BuiltIns[i].BuiltIn = true
	}
}

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,47}$`)

// Validate checks an indicator an authority defines, compiling its formula; exists says which
// codes are taken, for a new indicator and for GrowthOf. Errors name the field, and a formula's
// the line and column.
func (ind Indicator) Validate(exists func(code string) bool, isNew bool) error {
	var f apperr.Fields
	if !codePattern.MatchString(ind.Code) {
		f.Add("code", "invalid", "代码应为 2–48 位小写字母、数字或下划线，以字母开头", "a code is 2–48 lower-case letters, digits or _, starting with a letter")
	} else if isNew && exists(ind.Code) {
		f.Add("code", "taken", "该代码已被使用", "this code is taken")
	}
	if ind.NameZh == "" {
		f.Add("name_zh", "required", "请填写中文名称", "a Chinese name is required")
	}
	if ind.NameEn == "" {
		f.Add("name_en", "required", "请填写英文名称", "an English name is required")
	}
	if ind.Unit == "" {
		f.Add("unit", "required", "请填写单位", "a unit is required")
	}
	switch ind.Basis {
	case "revenue", "area", "staff", "count":
	default:
		f.Add("basis", "invalid", "基准应为 revenue、area、staff 或 count", "basis must be revenue, area, staff or count")
	}
	if _, err := Compile(ind.Formula); err != nil {
		fe := err.(*FormulaError)
		f.Add("formula", "invalid", fmt.Sprintf("公式第 %d 行第 %d 列有误：%s", fe.Line, fe.Column, fe.Message),
			fmt.Sprintf("formula error at line %d, column %d: %s", fe.Line, fe.Column, fe.Message))
	}
	if ind.GrowthOf != "" {
		if !exists(ind.GrowthOf) {
			f.Add("growth_of", "unknown", "指标不存在："+ind.GrowthOf, "no such indicator: "+ind.GrowthOf)
		}
		if ind.GrowthYears < 1 || ind.GrowthYears > 20 {
			f.Add("growth_years", "out_of_range", "增长年数应为 1–20", "growth years must be 1–20")
		}
	}
	return f.Err()
}
