// Package onboardbook reads and writes the onboarding workbook (§10): one sheet per kind of
// record — parks, buildings, floors, units, enterprises, qualifications, residencies, contracts
// and their dated units — with Chinese headers, or one CSV per kind. The same column tables
// drive reading and writing, so an export reads back to the same rows.
package onboardbook

import (
	"reflect"

	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/onboard"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/space"
)

// choice is one value of an enumerated column and the labels people write for it.
type choice struct{ code, zh, en string }

// column is one column of a sheet: the row field its key names (see onboard.Field), its
// headers, and how its cells read and write beyond what the field's type says.
type column struct {
	sheet.Column
	unit    string   // written after the header in brackets, e.g. ㎡
	wan     bool     // money in 万元 unless the header names another unit
	percent bool     // basis points written as a percentage (500 ↔ 5)
	code    bool     // an identifier: full-width characters narrowed
	choices []choice // the allowed values, when enumerated
}

// table is one sheet: the entity, its names, its columns, and which of them identify a row.
type table struct {
	entity string
	zh, en string
	cols   []column
	key    []string // columns that together identify a row within the file
	rows   func(b *onboard.Batch) any
}

func col(key, zh, en string, synonyms ...string) column {
	return column{Column: sheet.Column{Key: key, Header: zh, English: en, Synonyms: synonyms}}
}

func (c column) required() column         { c.Required = true; return c }
func (c column) in(unit string) column    { c.unit = unit; return c }
func (c column) identifier() column       { c.code = true; return c }
func (c column) inWan() column            { c.wan, c.unit = true, "万元"; return c }
func (c column) asPercent() column        { c.percent, c.unit = true, "%"; return c }
func (c column) oneOf(cs []choice) column { c.choices = cs; return c }

// catalogChoices labels enumerated codes from the console's catalog (prefix.code).
func catalogChoices[T ~string](prefix string, codes []T) []choice {
	out := make([]choice, 0, len(codes))
	for _, c := range codes {
		if c == "" {
			continue
		}
		ch := choice{code: string(c), zh: string(c), en: string(c)}
		if key := prefix + "." + string(c); i18n.Has("zh-CN", key) {
			ch.zh, ch.en = i18n.T("zh-CN", key), i18n.T("en", key)
		}
		out = append(out, ch)
	}
	return out
}

var (
	dayCounts   = []choice{{string(leasing.DayCount365), "365/12", "365/12"}, {string(leasing.DayCountActual), "实际天数", "actual"}}
	escalations = []choice{{"none", "不递增", "none"}, {"percent", "按比例", "percent"}, {"steps", "阶梯价", "steps"}}
)

func parkCode() column {
	return col("park_code", "园区编码", "Park code", "园区代码").required().identifier()
}
func companyRef() column {
	return col("enterprise_credit_code", "统一社会信用代码", "Credit code", "信用代码", "社会信用代码", "企业").required().identifier()
}

// tables lists the sheets in the order an import applies them.
var tables = []table{
	{entity: onboard.Parks, zh: "园区", en: "Parks", key: []string{"code"},
		rows: func(b *onboard.Batch) any { return &b.Parks },
		cols: []column{
			col("code", "园区编码", "Park code", "园区代码", "编码").required().identifier(),
			col("name_zh", "园区名称", "Park name", "名称").required(),
			col("name_en", "英文名称", "English name"),
			col("district", "所在区", "District", "区县", "行政区"),
			col("address", "地址", "Address", "园区地址"),
			col("latitude", "纬度", "Latitude"),
			col("longitude", "经度", "Longitude"),
			col("land_area", "占地面积", "Land area", "用地面积").in("㎡"),
			col("gross_floor_area", "总建筑面积", "Gross floor area", "建筑面积").in("㎡"),
			col("above_ground_area", "地上建筑面积", "Above-ground area").in("㎡"),
			col("operator", "运营主体", "Operator", "运营方", "运营单位"),
			col("leading_node_ids", "主导产业节点", "Leading chain nodes", "主导产业"),
			col("status", "状态", "Status", "园区状态").oneOf(catalogChoices("park_status", space.ParkStatuses)),
			col("phase", "期次", "Phase", "分期"),
			col("contact_name", "联系人", "Contact"),
			col("contact_phone", "联系电话", "Contact phone", "电话"),
			col("description", "简介", "Description", "园区简介"),
		}},
	{entity: onboard.Buildings, zh: "楼宇", en: "Buildings", key: []string{"park_code", "code"},
		rows: func(b *onboard.Batch) any { return &b.Buildings },
		cols: []column{
			parkCode(),
			col("code", "楼宇编码", "Building code", "楼栋编码", "楼号", "楼栋").required().identifier(),
			col("name", "楼宇名称", "Building name", "楼栋名称", "名称"),
			col("floors_above", "地上层数", "Floors above ground"),
			col("floors_below", "地下层数", "Floors below ground"),
			col("gross_area", "建筑面积", "Gross area").in("㎡"),
			col("above_ground_area", "地上建筑面积", "Above-ground area").in("㎡"),
			col("completed_year", "竣工年份", "Year completed", "建成年份"),
			col("description", "说明", "Description", "备注"),
		}},
	{entity: onboard.Floors, zh: "楼层", en: "Floors", key: []string{"park_code", "building_code", "level"},
		rows: func(b *onboard.Batch) any { return &b.Floors },
		cols: []column{
			parkCode(),
			col("building_code", "楼宇编码", "Building code", "楼栋编码", "楼号").required().identifier(),
			col("level", "楼层", "Level", "层", "层号").required(),
			col("label", "楼层名称", "Label", "楼层标识"),
			col("gross_area", "建筑面积", "Gross area").in("㎡"),
		}},
	{entity: onboard.Units, zh: "房源单元", en: "Units", key: []string{"park_code", "code"},
		rows: func(b *onboard.Batch) any { return &b.Units },
		cols: []column{
			parkCode(),
			col("building_code", "楼宇编码", "Building code", "楼栋编码", "楼号").required().identifier(),
			col("floor_level", "楼层", "Level", "所在楼层", "层").required(),
			col("code", "单元编码", "Unit code", "房号", "房间号", "单元号").required().identifier(),
			col("kind", "单元类型", "Kind", "类型", "用途").required().oneOf(catalogChoices("unit_kind", space.UnitKinds)),
			col("gross_area", "建筑面积", "Gross area", "面积").required().in("㎡"),
			col("usable_area", "使用面积", "Usable area", "套内面积").in("㎡"),
			col("list_rent", "挂牌租金", "List rent", "租金单价").in("元/㎡/天"),
			col("property_fee", "物业费", "Property fee").in("元/㎡/月"),
			col("leasable", "可租", "Leasable", "是否可租", "可出租"),
			col("facilities.biosafety_level", "生物安全等级", "Biosafety level", "BSL").oneOf(catalogChoices("bsl", space.BiosafetyLevels)),
			col("facilities.animal_room", "动物房", "Animal room").oneOf(catalogChoices("animal_room", space.AnimalRoomGrades)),
			col("facilities.cleanroom_grade", "洁净等级", "Cleanroom grade", "洁净室").oneOf(catalogChoices("cleanroom", space.CleanroomGrades)),
			col("facilities.floor_load", "楼面荷载", "Floor load", "荷载").in("kN/㎡"),
			col("facilities.ceiling_height", "层高", "Ceiling height", "净高").in("m"),
			col("facilities.fume_exhaust", "通风橱排风", "Fume exhaust", "排风"),
			col("facilities.pure_water", "纯水", "Pure water"),
			col("facilities.power_kva", "电力容量", "Power", "供电容量").in("kVA"),
			col("facilities.wastewater_pretreatment", "污水预处理", "Wastewater pretreatment"),
			col("valid_from", "启用日期", "In use from"),
			col("valid_to", "停用日期", "In use until"),
			col("note", "备注", "Note"),
		}},
	{entity: onboard.Enterprises, zh: "企业", en: "Enterprises", key: []string{"credit_code|name"},
		rows: func(b *onboard.Batch) any { return &b.Enterprises },
		cols: []column{
			col("credit_code", "统一社会信用代码", "Credit code", "信用代码", "社会信用代码").identifier(),
			col("name", "企业名称", "Name", "名称", "公司名称").required(),
			col("park_code", "所属园区编码", "Park code", "园区编码").identifier(),
			col("name_en", "英文名称", "English name"),
			col("legal_representative", "法定代表人", "Legal representative", "法人"),
			col("founded_on", "成立日期", "Founded on", "注册日期"),
			col("registered_capital", "注册资本", "Registered capital").inWan(),
			col("ownership_type", "企业类型", "Ownership", "登记注册类型").oneOf(catalogChoices("ownership", enterprise.OwnershipTypes)),
			col("industry_code", "国民经济行业代码", "Industry code", "行业代码").identifier(),
			col("chain_node_ids", "产业链节点", "Chain nodes"),
			col("stage", "发展阶段", "Stage", "阶段").oneOf(catalogChoices("stage", enterprise.Stages)),
			col("scientist_founded", "科学家创办", "Scientist-founded", "是否科学家创办", "知名科学家创办"),
			col("returnee_founded", "海归创办", "Returnee-founded", "是否海归创办"),
			col("employees", "从业人员", "Employees", "员工人数", "从业人员期末人数").in("人"),
			col("website", "网址", "Website"),
			col("contact_name", "联系人", "Contact"),
			col("contact_phone", "联系电话", "Contact phone", "电话"),
			col("description", "简介", "Description", "企业简介"),
			col("tags", "标签", "Tags"),
		}},
	{entity: onboard.Qualifications, zh: "企业资质", en: "Qualifications", key: []string{"enterprise_credit_code", "kind", "issued_on"},
		rows: func(b *onboard.Batch) any { return &b.Qualifications },
		cols: []column{
			companyRef(),
			col("kind", "资质类型", "Kind", "资质", "资质名称").required().oneOf(catalogChoices("qualification_kind", enterprise.QualificationKinds)),
			col("certificate_no", "证书编号", "Certificate no.", "证书号").identifier(),
			col("issued_on", "发证日期", "Issued on", "认定日期"),
			col("expires_on", "有效期至", "Expires on", "到期日期"),
			col("board", "上市板块", "Board").oneOf(catalogChoices("board", enterprise.ListingBoards)),
			col("ticker", "股票代码", "Ticker").identifier(),
			col("note", "备注", "Note"),
		}},
	{entity: onboard.Residencies, zh: "入驻记录", en: "Residencies", key: []string{"enterprise_credit_code", "park_code", "move_in"},
		rows: func(b *onboard.Batch) any { return &b.Residencies },
		cols: []column{
			companyRef(),
			parkCode(),
			col("move_in", "入驻日期", "Move-in", "入园日期").required(),
			col("move_out", "迁出日期", "Move-out", "离园日期"),
			col("unit_codes", "单元编码", "Unit codes", "房号", "入驻单元").identifier(),
			col("note", "备注", "Note"),
		}},
	{entity: onboard.Contracts, zh: "租赁合同", en: "Contracts", key: []string{"park_code", "number"},
		rows: func(b *onboard.Batch) any { return &b.Contracts },
		cols: []column{
			parkCode(),
			col("number", "合同编号", "Contract number", "合同号").required().identifier(),
			companyRef(),
			col("status", "合同状态", "Status", "状态").oneOf(catalogChoices("contract_status", leasing.Statuses)),
			col("start_on", "起租日期", "Start", "开始日期", "租期开始").required(),
			col("end_on", "到期日期", "End", "结束日期", "租期结束").required(),
			col("signed_on", "签约日期", "Signed on", "签订日期"),
			col("unit_codes", "单元编码", "Unit codes", "房号", "租赁单元").identifier(),
			col("price", "租金单价", "Rent", "租金").required().in("元/㎡/天"),
			col("property_fee", "物业费", "Property fee").in("元/㎡/月"),
			col("rent_free", "免租期", "Rent-free periods"),
			col("escalation.kind", "递增方式", "Escalation").oneOf(escalations),
			col("escalation.basis_points", "递增比例", "Escalation rate").asPercent(),
			col("escalation.every_months", "递增周期", "Escalate every").in("月"),
			col("escalation.from_month", "递增起始月", "Escalate from month"),
			col("escalation.steps", "阶梯价格", "Price steps"),
			col("payment_cycle", "付款周期", "Payment cycle", "付款方式").in("月"),
			col("deposit_months", "押金月数", "Deposit months", "押金").in("月"),
			col("day_count", "计租方式", "Day count").oneOf(dayCounts),
			col("terminated_on", "解约日期", "Terminated on"),
			col("penalty", "违约金", "Penalty").in("元"),
			col("renewal_of_number", "续签自合同", "Renewal of", "原合同编号").identifier(),
			col("note", "备注", "Note"),
		}},
	{entity: onboard.ContractUnits, zh: "合同单元", en: "Contract units", key: []string{"park_code", "contract_number", "unit_code", "from"},
		rows: func(b *onboard.Batch) any { return &b.ContractUnits },
		cols: []column{
			parkCode(),
			col("contract_number", "合同编号", "Contract number", "合同号").required().identifier(),
			col("unit_code", "单元编码", "Unit code", "房号").required().identifier(),
			col("area", "计租面积", "Area", "面积").in("㎡"),
			col("from", "起始日期", "From", "开始日期"),
			col("to", "截止日期", "To", "结束日期"),
		}},
}

// sheetColumns is a table's columns as the sheet package's header finder wants them.
func (t table) sheetColumns() []sheet.Column {
	out := make([]sheet.Column, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.Column
	}
	return out
}

// rowType is the Go type of the table's rows.
func (t table) rowType() reflect.Type {
	var b onboard.Batch
	return reflect.TypeOf(t.rows(&b)).Elem().Elem()
}

// tableFor finds a table by entity name.
func tableFor(entity string) (table, bool) {
	for _, t := range tables {
		if t.entity == entity {
			return t, true
		}
	}
	return table{}, false
}
