package demo

import (
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/space"
)

// parkPlan describes a demo park: the park record from the seed articles, and a layout of
// buildings from which floors and units are generated.
type parkPlan struct {
	park      space.Park
	zones     []space.Zone
	buildings []buildingPlan
	// tenants is how many demo enterprises move in, and occupied the share of units they take.
	tenants  int
	occupied float64
	district string // two-digit administrative code used in demo credit codes
}

// buildingPlan lays out one building: floors above and below ground, and the unit mix per floor.
type buildingPlan struct {
	code, name string
	zone       string // zone code, optional
	completed  int
	above      []floorPlan
	below      []floorPlan
}

// floorPlan is one floor: its gross area and the units carved out of it.
type floorPlan struct {
	gross measure.Area
	units []unitPlan
}

// unitPlan is count units of one kind and size on a floor.
type unitPlan struct {
	count      int
	kind       space.UnitKind
	gross      measure.Area
	rent       measure.Price // 元/㎡/天
	fee        measure.Price // 元/㎡/月
	leasable   bool
	facilities space.Facilities
}

func m2(v int64) measure.Area      { return measure.AreaM2(v) }
func yuan(y float64) measure.Price { return measure.Price(y*10000 + 0.5) }

var (
	p2Lab = space.Facilities{BiosafetyLevel: "BSL-2", FloorLoad: 500, CeilingHeight: 450, FumeExhaust: true, PureWater: true,
		PowerKVA: 20000, WastewaterPretreatment: true}
	chemLab     = space.Facilities{FloorLoad: 500, CeilingHeight: 450, FumeExhaust: true, PureWater: true, PowerKVA: 15000, WastewaterPretreatment: true}
	animalRoom  = space.Facilities{AnimalRoom: "spf", FloorLoad: 500, CeilingHeight: 420, PureWater: true, PowerKVA: 30000, WastewaterPretreatment: true}
	officeSpec  = space.Facilities{FloorLoad: 250, CeilingHeight: 380, PowerKVA: 5000}
	heavySpec   = space.Facilities{FloorLoad: 1000, CeilingHeight: 600, PowerKVA: 50000}
	cleanroom   = space.Facilities{CleanroomGrade: "ISO7", BiosafetyLevel: "BSL-2", FloorLoad: 800, CeilingHeight: 550, PureWater: true, PowerKVA: 40000, WastewaterPretreatment: true}
	computeRoom = space.Facilities{FloorLoad: 1000, CeilingHeight: 450, PowerKVA: 100000}
)

func office(n int, gross int64, rent float64) unitPlan {
	return unitPlan{n, space.KindOffice, m2(gross), yuan(rent), yuan(22), true, officeSpec}
}

func basement(gross int64) []floorPlan {
	half := gross / 2
	return []floorPlan{
		{m2(half), []unitPlan{{2, space.KindWarehouse, m2(300), yuan(2.5), yuan(10), true, officeSpec},
			{1, space.KindAmenity, m2(half - 600), 0, 0, false, space.Facilities{}}}},
		{m2(gross - half), []unitPlan{{1, space.KindAmenity, m2(gross - half), 0, 0, false, space.Facilities{}}}},
	}
}

func repeat(n int, f floorPlan) []floorPlan {
	out := make([]floorPlan, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// plans are the demo parks. Park-level facts come from the seed articles in ../shared/seeds;
// buildings and units inside them are illustrative layouts, not surveys.
func plans() []parkPlan {
	ps := layouts()
	for i := range ps {
		if ps[i].park.LandArea == 0 {
			ps[i].park.LandArea = m2(landAreas[ps[i].park.Code])
		}
	}
	return ps
}

// landAreas are the demo parks' land areas in m² where their layout gives none (the seeds give
// only the Life Science Park's).
var landAreas = map[string]int64{"SJQ": 85000, "BIOPARK": 230000, "DX-CGT": 180000, "JXZG": 260000, "ZGC-DS": 120000, "JY-ZZ": 150000,
	"ZGC-LA": 400000, "FS-H2": 520000}

func layouts() []parkPlan {
	return []parkPlan{
		{
			park: space.Park{Code: "SJQ", NameZh: "北京四季青生命科技园", NameEn: "Beijing Sijiqing Life Science Park",
				District: "海淀区", Address: "北京市海淀区四季青镇巨山路188号院", Latitude: 39.9466, Longitude: 116.2318,
				GrossFloorArea: m2(136400), AboveGroundArea: m2(73000), Status: space.ParkOperating, Phase: "一期",
				ContactName: "招商部", ContactPhone: "010-56353011",
				LeadingNodeIDs: []string{"meddev.mid.imaging", "meddev.mid.ivd", "biomed.mid.biologics", "aimed.mid.drugdiscovery"},
				Description: "6栋企业独栋通过4个落地连廊、2个空中连廊相连，环型建筑围合中央下沉广场；聚焦医疗器械、医疗健康、生物医药，" +
					"配备P2实验室与小规模动物房。预计2025年6月底去化率达60%。"},
			district: "08", tenants: 34, occupied: 0.55,
			buildings: []buildingPlan{
				{code: "1", name: "1号楼（总部独栋）", completed: 2024,
					above: append([]floorPlan{{m2(2700), []unitPlan{{1, space.KindWholeBuilding, m2(16200), yuan(6.8), yuan(25), true, officeSpec}}}},
						repeat(5, floorPlan{m2(2700), nil})...),
					below: basement(10600)},
				{code: "2", name: "2号楼（大平层）", completed: 2024,
					above: repeat(6, floorPlan{m2(2150), []unitPlan{{1, space.KindFlatFloor, m2(2150), yuan(6.2), yuan(22), true, officeSpec}}}),
					below: basement(10600)},
				{code: "3", name: "3号楼（孵化单元）", completed: 2024,
					above: repeat(5, floorPlan{m2(2200), []unitPlan{
						{8, space.KindIncubation, m2(80), yuan(5.8), yuan(20), true, officeSpec},
						{8, space.KindIncubation, m2(120), yuan(5.6), yuan(20), true, officeSpec},
						{1, space.KindAmenity, m2(280), 0, 0, false, space.Facilities{}}}}),
					below: basement(10600)},
				{code: "4", name: "4号楼（研发实验）", completed: 2024,
					above: append([]floorPlan{{m2(2300), []unitPlan{
						{1, space.KindLab, m2(800), yuan(7.5), yuan(28), true, animalRoom},
						{1, space.KindLab, m2(1200), yuan(7.0), yuan(28), true, p2Lab}}}},
						repeat(4, floorPlan{m2(2300), []unitPlan{
							{2, space.KindLab, m2(420), yuan(7.2), yuan(28), true, p2Lab},
							{3, space.KindLab, m2(380), yuan(6.9), yuan(26), true, chemLab}}})...),
					below: basement(10600)},
				{code: "5", name: "5号楼（研发办公）", completed: 2024,
					above: repeat(5, floorPlan{m2(2140), []unitPlan{office(2, 620, 6.0), office(2, 400, 6.1)}}),
					below: basement(10500)},
				{code: "6", name: "6号楼（配套与办公）", completed: 2024,
					above: append([]floorPlan{{m2(2140), []unitPlan{
						{3, space.KindRetail, m2(260), yuan(8.5), yuan(25), true, officeSpec},
						{1, space.KindAmenity, m2(900), 0, 0, false, space.Facilities{}}}}},
						repeat(4, floorPlan{m2(2140), []unitPlan{office(2, 500, 6.0), {2, space.KindLab, m2(480), yuan(6.8), yuan(26), true, chemLab}}})...),
					below: basement(10500)},
			},
		},
		{
			park: space.Park{Code: "ZGC-LSP", NameZh: "中关村生命科学园", NameEn: "Zhongguancun Life Science Park",
				District: "昌平区", Address: "北京市昌平区生命科学园", Latitude: 40.0912, Longitude: 116.2932,
				LandArea: m2(7190000), GrossFloorArea: m2(5220000), Status: space.ParkOperating, Phase: "一期、二期建成，三期拓展区建设中",
				LeadingNodeIDs: []string{"biomed.mid.biologics", "biomed.mid.chemical", "cgt.mid.cart", "meddev.mid.highvalue"},
				Description: "2000年启动建设，规划核心区7.19平方公里、总建筑面积约522万平方米；聚集国家级科研机构与600余家创新型企业。" +
					"以下楼宇与单元为演示布局。"},
			district: "14", tenants: 12, occupied: 0.75,
			buildings: []buildingPlan{
				{code: "C1", name: "创新中心一号楼（演示）", completed: 2012,
					above: repeat(6, floorPlan{m2(3000), []unitPlan{{4, space.KindLab, m2(600), yuan(5.2), yuan(18), true, p2Lab}, office(1, 500, 4.8)}})},
				{code: "C2", name: "孵化器大楼（演示）", completed: 2008,
					above: repeat(4, floorPlan{m2(2500), []unitPlan{{12, space.KindIncubation, m2(150), yuan(4.5), yuan(15), true, chemLab}}})},
			},
		},
		{
			park: space.Park{Code: "BIOPARK", NameZh: "国际医药创新公园", NameEn: "International Pharmaceutical Innovation Park (BioPark)",
				District: "大兴区", Address: "北京南中轴，与凤池公园、南海子公园相接", Latitude: 39.7683, Longitude: 116.3927,
				Status: space.ParkUnderConstruction, Phase: "规划建设中",
				LeadingNodeIDs: []string{"biomed.mid.biologics", "biomed.mid.vaccines", "meddev.mid.imaging", "aimed.mid.models"},
				Description: "“四区两片拥园，三廊环链聚心”：总部集聚区、医工融合区、研发转化区、医药智造区；承接国家人工智能应用中试基地。" +
					"以下楼宇与单元为演示布局。"},
			district: "15", tenants: 5, occupied: 0.3,
			zones: []space.Zone{
				{Code: "HQ", NameZh: "总部集聚区", NameEn: "Headquarters cluster"},
				{Code: "MED-ENG", NameZh: "医工融合区", NameEn: "Medicine–engineering convergence"},
				{Code: "RD", NameZh: "研发转化区", NameEn: "R&D and translation"},
				{Code: "MFG", NameZh: "医药智造区", NameEn: "Smart pharmaceutical manufacturing"},
			},
			buildings: []buildingPlan{
				{code: "HQ-1", name: "总部一号楼（演示）", zone: "HQ", completed: 2026,
					above: repeat(8, floorPlan{m2(2400), []unitPlan{{1, space.KindFlatFloor, m2(2400), yuan(7.0), yuan(25), true, officeSpec}}})},
				{code: "RD-1", name: "研发转化一号楼（演示）", zone: "RD", completed: 2026,
					above: repeat(5, floorPlan{m2(3000), []unitPlan{{4, space.KindLab, m2(700), yuan(6.0), yuan(24), true, p2Lab}}})},
				{code: "MFG-1", name: "智造一号厂房（演示）", zone: "MFG", completed: 2026,
					above: repeat(2, floorPlan{m2(6000), []unitPlan{{2, space.KindProduction, m2(3000), yuan(3.5), yuan(15), true, cleanroom}}})},
			},
		},
		{
			park: space.Park{Code: "DX-CGT", NameZh: "中关村(大兴)细胞基因治疗产业园", NameEn: "Zhongguancun (Daxing) Cell and Gene Therapy Park",
				District: "大兴区", Latitude: 39.7267, Longitude: 116.3411, Operator: "中粮大悦城", Status: space.ParkOperating,
				Phase:          "老旧厂房改造，2024年9月首批企业入驻",
				LeadingNodeIDs: []string{"cgt.mid.cart", "cgt.mid.aav", "cgt.up.vectors", "cgt.mid.cdmo"},
				Description:    "2022年6月改造开工，2023年10月主体竣工，2024年度中关村特色产业园。以下楼宇与单元为演示布局。"},
			district: "15", tenants: 8, occupied: 0.55,
			buildings: []buildingPlan{
				{code: "F1", name: "一号厂房（演示）", completed: 2023,
					above: repeat(3, floorPlan{m2(3200), []unitPlan{{4, space.KindProduction, m2(750), yuan(4.2), yuan(18), true, cleanroom}}})},
				{code: "F2", name: "二号研发楼（演示）", completed: 2023,
					above: repeat(4, floorPlan{m2(2000), []unitPlan{{6, space.KindLab, m2(300), yuan(4.8), yuan(18), true, p2Lab}}})},
			},
		},
		featured("JXZG", "京西智谷", "Jingxi Zhigu (AI park)", "门头沟区", "人工智能公共算力服务平台，解决算力获取难、获取贵的问题。",
			[]string{"aimed.up.compute", "aimed.mid.models"}, unitPlan{6, space.KindOffice, m2(450), yuan(4.0), yuan(15), true, computeRoom}, "09"),
		featured("ZGC-DS", "中关村东升科技园", "Zhongguancun Dongsheng Science Park", "海淀区", "数字创新社区：一站式企业服务、社群服务与人才、产业、空间精准匹配。",
			[]string{"aimed.down.digitalhealth"}, office(8, 300, 6.5), "08"),
		featured("JY-ZZ", "金隅智造工场", "BBMG Smart Manufacturing Workshop", "海淀区", "围绕创新、产业、技术、公共、市场五大服务构建“I-立方”平台体系。",
			[]string{"meddev.mid.robotics"}, unitPlan{4, space.KindProduction, m2(900), yuan(4.5), yuan(16), true, heavySpec}, "08"),
		// The seed names no district; 延庆 is where Zhongguancun's drone industry sits.
		featured("ZGC-LA", "中关村低空技术产业园", "Zhongguancun Low-Altitude Technology Park", "延庆区", "无人机应用场景：生态监测、长城保护、城市物流、支线物流、文旅体验等。",
			nil, unitPlan{4, space.KindProduction, m2(1200), yuan(2.8), yuan(12), true, heavySpec}, "00"),
		featured("FS-H2", "房山氢能产业园", "Fangshan Hydrogen Energy Park", "房山区", "与大兴氢能示范区搭建资源共享平台，共同攻克产业堵点和技术难点。",
			nil, unitPlan{4, space.KindProduction, m2(1500), yuan(1.8), yuan(10), true, heavySpec}, "11"),
	}
}

// featured is a small demo layout for the featured parks of other industries named in the seeds.
func featured(code, zh, en, district, desc string, nodes []string, unit unitPlan, dist string) parkPlan {
	floorArea := unit.gross * measure.Area(unit.count+1)
	return parkPlan{
		park: space.Park{Code: code, NameZh: zh, NameEn: en, District: district, Status: space.ParkOperating,
			LeadingNodeIDs: nodes, Description: "中关村特色产业园。" + desc + "以下楼宇与单元为演示布局。"},
		district: dist, tenants: 3, occupied: 0.5,
		buildings: []buildingPlan{{code: "A", name: "A座（演示）", completed: 2020, above: repeat(2, floorPlan{floorArea, []unitPlan{unit}})}},
	}
}
