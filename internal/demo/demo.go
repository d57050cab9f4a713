// Package demo builds the demo data set: the seed parks of ../shared/seeds with illustrative
// buildings and units, fictional enterprises (never real company names with invented figures),
// and the demo logins. It writes through the store's own methods, so demo data obeys every rule
// real data does.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/space"
)

// Password is the password of every demo login. It is set only by the demo loader; the
// password policy for real accounts requires at least 8 characters.
const Password = "demo"

// passwordHash is Password hashed with identity.HashPassword's parameters
// (TestPasswordHashHasTodaysParameters), shared by every demo account. A constant: the password
// is printed at start-up, so a salt of each demo's own would protect nothing, and hashing it
// kept the second core busy for about 145 ms of a start-up meant to take less than a second.
const passwordHash = "$argon2id$v=19$m=19456,t=2,p=1$Uxh/axA4+D4utnp2PM52kg$/u0J4fvEUnjyq/KsbeamBXztbdTGPslzRmrx9HMMYdo"

// Login is one demo account, printed at start-up.
type Login struct {
	Username, Role, Note string
}

// Logins are the demo accounts.
var Logins = []Login{
	{"admin", "admin", "平台管理员 / platform administrator"},
	{"authority", "authority", "园区主管部门 / park authority (all parks, read)"},
	{"operator", "park_manager", "北京四季青生命科技园运营 / operator of 北京四季青生命科技园"},
	{"tenant", "ent_admin", "园区企业管理员 / administrator of a demo enterprise in 北京四季青生命科技园"},
	{"finance", "finance", "北京四季青生命科技园财务 / finance staff of 北京四季青生命科技园"},
}

// Load writes the demo data set through the services into an empty, migrated database, with
// follow-ups, holds and qualifications placed around the services' today. It is written in one
// transaction: a thousand separate ones made start-up three times as long, and a failure
// leaves an empty database rather than half a data set.
func Load(ctx context.Context, sv *app.Services) error {
	return sv.Atomically(ctx, func(ctx context.Context) error { return load(ctx, sv) })
}

func load(ctx context.Context, sv *app.Services) error {
	l := &loader{sv: sv, ctx: ctx, today: sv.Clock.Today(), sys: identity.System(), rnd: rand.New(rand.NewPCG(2025, 630))}
	var firstTenant string
	var sjq string
	parks := map[string]string{}
	for i, plan := range plans() {
		parkID, tenant, err := l.park(plan)
		if err != nil {
			return fmt.Errorf("demo park %s: %w", plan.park.Code, err)
		}
		if i == 0 {
			sjq, firstTenant = parkID, tenant
		}
		parks[plan.park.Code] = parkID
	}
	if err := l.reports(sjq, firstTenant); err != nil {
		return err
	}
	if err := l.authority(parks); err != nil {
		return err
	}
	if err := l.users(sjq, firstTenant); err != nil {
		return err
	}
	if err := l.facilities(parks, sjq, firstTenant); err != nil {
		return err
	}
	if err := l.services(sjq, firstTenant); err != nil {
		return err
	}
	if err := l.billing(sjq, firstTenant); err != nil {
		return err
	}
	if err := l.policies(sjq, firstTenant); err != nil {
		return err
	}
	return l.events(sjq, firstTenant)
}

type loader struct {
	hq      leasableUnit // the park's whole-building unit, let on its own
	sv      *app.Services
	ctx     context.Context
	today   civil.Date
	sys     identity.Scope
	rnd     *rand.Rand
	serial  int
	nameIdx int
	// labUsers are the enterprise users the facilities made, who also ask for services.
	labUsers []identity.Scope
}

// leasableUnit is a unit a demo tenant may move into.
type leasableUnit struct {
	id   string
	kind space.UnitKind
	rent measure.Price
	fee  measure.Price
}

func (l *loader) park(plan parkPlan) (parkID, firstEnterprise string, err error) {
	l.hq = leasableUnit{}
	p, err := l.sv.Space.CreatePark(l.ctx, l.sys, plan.park)
	if err != nil {
		return "", "", err
	}
	zones := map[string]string{}
	for _, z := range plan.zones {
		z.ParkID = p.ID
		created, err := l.sv.Space.CreateZone(l.ctx, l.sys, z)
		if err != nil {
			return "", "", err
		}
		zones[z.Code] = created.ID
	}
	opened := civil.Of(2024, 11, 1)
	if plan.park.Code != "SJQ" {
		opened = civil.Of(2019, 1, 1)
	}
	var units []leasableUnit
	for _, bp := range plan.buildings {
		us, err := l.building(p.ID, zones[bp.zone], bp, opened)
		if err != nil {
			return "", "", err
		}
		units = append(units, us...)
	}
	if err := l.tenants(p, plan, units, opened, &firstEnterprise); err != nil {
		return "", "", err
	}
	if err := l.headquarters(p); err != nil {
		return "", "", err
	}
	return p.ID, firstEnterprise, l.pipeline(p, plan, units)
}

// demoLeads is the 招商 pipeline of a park: fictional prospects at every stage.
var demoLeads = []struct {
	company string
	stage   leasing.Stage
	source  string
	min     int64
	max     int64
	needs   []string
	note    string
}{
	{"澄明抗体药物（演示）", "negotiation", "referral", 1200, 2200, []string{"bsl2", "pure_water"}, "需要整层 P2 实验室，意向 4 号楼"},
	{"霁光影像设备（演示）", "proposal", "event", 600, 900, []string{"heavy_load"}, "CT 装配，需高荷载"},
	{"衡远数字医疗（演示）", "site_visit", "online", 300, 500, nil, "AI 辅助诊断团队，关注 5 号楼办公"},
	{"朔禾细胞治疗（演示）", "contacted", "government", 800, 1500, []string{"bsl2", "cleanroom"}, "CAR-T 研发，区里推荐"},
	{"栖微诊断试剂（演示）", "new", "walk_in", 80, 160, nil, "孵化单元，3 人团队"},
	{"砺川康复器械（演示）", "new", "agent", 200, 400, nil, ""},
	{"曦序基因编辑（演示）", "site_visit", "referral", 400, 700, []string{"bsl2", "animal_room"}, "需小动物实验条件"},
	{"琢光手术机器人（演示）", "proposal", "event", 1500, 2500, []string{"high_power"}, "总部 + 研发，考虑大平层"},
	{"沐辰医药外包（演示）", "lost", "online", 500, 800, nil, "选择了亦庄园区"},
	{"岚衡医学 AI（演示）", "contacted", "online", 150, 300, nil, "长期未回复"},
}

// headquarters lets the seed park's 16,000 m² HQ building to a fictional group from May 2025,
// and sets the park's targets: 去化率 60 % by 2025-06-30 (the seed article) and 80 % occupancy
// by the end of 2026.
func (l *loader) headquarters(p space.Park) error {
	if p.Code != "SJQ" || l.hq.id == "" {
		return nil
	}
	e, err := l.sv.Enterprise.CreateEnterprise(l.ctx, l.sys, enterprise.Enterprise{ParkID: p.ID, Name: "北京衡岳医疗集团有限公司（演示）",
		CreditCode: creditCode("08", 99999), Stage: "headquarters", IndustryCode: "3581", Employees: 420, Tags: []string{"演示"},
		Description: "演示数据：虚构企业，名称与数据均为示例。Demo data: a fictional company."})
	if err != nil {
		return err
	}
	moveIn := civil.Of(2025, 5, 1)
	if _, err := l.sv.Enterprise.CreateResidency(l.ctx, l.sys, enterprise.Residency{EnterpriseID: e.ID, ParkID: p.ID, UnitIDs: []string{l.hq.id},
		MoveIn: moveIn}); err != nil {
		return err
	}
	if _, err := l.sv.Leasing.RecordContract(l.ctx, l.sys, leasing.Contract{Number: "SJQ-2025-HQ", EnterpriseID: e.ID, Status: leasing.Active,
		StartOn: moveIn, EndOn: moveIn.AddMonths(60).AddDays(-1), SignedOn: civil.Of(2025, 3, 20), Price: l.hq.rent,
		PropertyFee: l.hq.fee, PaymentCycle: 6, DepositMonths: 3, Units: []leasing.ContractUnit{{UnitID: l.hq.id}},
		RentFree: []leasing.Period{{From: moveIn, To: moveIn.AddMonths(3).AddDays(-1)}}}); err != nil {
		return err
	}
	for _, t := range []leasing.Target{
		{ParkID: p.ID, Metric: "absorption", BasisPoints: 6000, ByDate: civil.Of(2025, 6, 30), Note: "开园后首个去化目标（报道）"},
		{ParkID: p.ID, Metric: "occupancy", BasisPoints: 8000, ByDate: civil.Of(2026, 12, 31)},
	} {
		if _, err := l.sv.Leasing.CreateTarget(l.ctx, l.sys, t); err != nil {
			return err
		}
	}
	return nil
}

func creditCode(district string, serial int) string {
	first := fmt.Sprintf("911101%sMA0%05d%d", district, serial, serial%10)
	return first + string(enterprise.CreditCheckChar(first))
}

// stagePath is the sequence of moves that brings a new lead to stage: through each stage in
// turn, or straight from "contacted" to "lost".
func stagePath(stage leasing.Stage) []leasing.Stage {
	if stage == "lost" {
		return []leasing.Stage{"contacted", "lost"}
	}
	var path []leasing.Stage
	for _, st := range leasing.Stages[1:] {
		if leasing.DefaultProbability[st] > leasing.DefaultProbability[stage] {
			break
		}
		path = append(path, st)
	}
	return path
}

// pipeline gives the first park a believable 招商 pipeline with timelines and holds on two
// vacant units. Other parks start without leads.
func (l *loader) pipeline(p space.Park, plan parkPlan, units []leasableUnit) error {
	if p.Code != "SJQ" {
		return nil
	}
	op := l.sys
	held := 0
	for i, d := range demoLeads {
		lead, err := l.sv.Leasing.CreateLead(l.ctx, op, leasing.Lead{ParkID: p.ID, Company: d.company, Source: d.source,
			MinArea: measure.AreaM2(d.min), MaxArea: measure.AreaM2(d.max), Facilities: d.needs, Budget: yuan(6.0), Note: d.note,
			NextFollowUp: l.today.AddDays(i%5 - 1)})
		if err != nil {
			return fmt.Errorf("lead %s: %w", d.company, err)
		}
		if _, err := l.sv.Leasing.AddActivity(l.ctx, op, lead.ID, leasing.ActivityInput{Kind: "call", Text: "首次电话沟通需求 / first call about the need"}); err != nil {
			return err
		}
		for _, st := range stagePath(d.stage) {
			if _, err := l.sv.Leasing.MoveLead(l.ctx, op, lead.ID, leasing.Move{Stage: st, LossReason: "location"}); err != nil {
				return fmt.Errorf("lead %s to %s: %w", d.company, st, err)
			}
		}
		if (d.stage == "negotiation" || d.stage == "proposal") && held < 2 {
			if _, err := l.sv.Leasing.CreateHold(l.ctx, op, leasing.Hold{LeadID: lead.ID, UnitID: units[len(units)-1-held].id,
				Until: l.today.AddDays(10 + 10*held)}); err != nil {
				return fmt.Errorf("hold for %s: %w", d.company, err)
			}
			held++
		}
	}
	return nil
}

func (l *loader) building(parkID, zoneID string, bp buildingPlan, opened civil.Date) ([]leasableUnit, error) {
	b := space.Building{ParkID: parkID, ZoneID: zoneID, Code: bp.code, Name: bp.name, FloorsAbove: len(bp.above),
		FloorsBelow: len(bp.below), CompletedYear: bp.completed}
	for _, f := range bp.above {
		b.GrossArea += f.gross
		b.AboveGroundArea += f.gross
	}
	for _, f := range bp.below {
		b.GrossArea += f.gross
	}
	b, err := l.sv.Space.CreateBuilding(l.ctx, l.sys, b)
	if err != nil {
		return nil, err
	}
	var out []leasableUnit
	levels := make(map[int]floorPlan)
	for i, f := range bp.above {
		levels[i+1] = f
	}
	for i, f := range bp.below {
		levels[-(i + 1)] = f
	}
	for level := -len(bp.below); level <= len(bp.above); level++ {
		fp, ok := levels[level]
		if !ok {
			continue
		}
		floor, err := l.sv.Space.CreateFloor(l.ctx, l.sys, space.Floor{BuildingID: b.ID, Level: level, GrossArea: fp.gross})
		if err != nil {
			return nil, err
		}
		seq, prev := 0, ""
		for _, up := range fp.units {
			for range up.count {
				seq++
				u := space.Unit{FloorID: floor.ID, Code: unitCode(bp.code, level, seq), Kind: up.kind, GrossArea: up.gross,
					UsableArea: up.gross * 80 / 100, Facilities: up.facilities, ListRent: up.rent, PropertyFee: up.fee,
					Leasable: up.leasable, ValidFrom: opened}
				if prev != "" {
					u.NeighbourIDs = []string{prev}
				}
				created, err := l.sv.Space.CreateUnit(l.ctx, l.sys, u)
				if err != nil {
					return nil, fmt.Errorf("unit %s: %w", u.Code, err)
				}
				prev = created.ID
				switch {
				case up.kind == space.KindWholeBuilding:
					l.hq = leasableUnit{created.ID, up.kind, up.rent, up.fee}
				case up.leasable && up.kind != space.KindWarehouse:
					out = append(out, leasableUnit{created.ID, up.kind, up.rent, up.fee})
				}
			}
		}
	}
	return out, nil
}

// unitCode follows the park convention building-floor-room: 3-3-307, 1-B1-02.
func unitCode(building string, level, seq int) string {
	if level < 0 {
		return fmt.Sprintf("%s-B%d-%02d", building, -level, seq)
	}
	return fmt.Sprintf("%s-%d-%d%02d", building, level, level, seq)
}

// tenants creates the park's demo enterprises and moves them into a share of its units, with
// move-in dates spread from opening to now so occupancy ramps up.
func (l *loader) tenants(p space.Park, plan parkPlan, units []leasableUnit, opened civil.Date, first *string) error {
	l.rnd.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
	take := int(float64(len(units)) * plan.occupied)
	// Most tenants arrive in the first months after opening (the seed park expected 60 % by the
	// end of June 2025); the rest keep coming until now.
	early, span, late := plan.tenants*85/100, opened.DaysUntil(civil.Of(2025, 6, 15)), civil.Of(2025, 6, 16).DaysUntil(civil.Of(2026, 10, 31))
	for i := range plan.tenants {
		e, err := l.sv.Enterprise.CreateEnterprise(l.ctx, l.sys, l.enterprise(p, plan, i))
		if err != nil {
			return fmt.Errorf("enterprise %d: %w", i, err)
		}
		if *first == "" {
			*first = e.ID
		}
		var mine []leasableUnit
		for j := i; j < take; j += plan.tenants {
			mine = append(mine, units[j])
		}
		if len(mine) > 0 {
			moveIn := opened.AddDays(span * i / max(early, 1))
			if i >= early {
				moveIn = civil.Of(2025, 6, 16).AddDays(late * (i - early) / max(plan.tenants-early, 1))
			}
			var ids []string
			for _, u := range mine {
				ids = append(ids, u.id)
			}
			if _, err := l.sv.Enterprise.CreateResidency(l.ctx, l.sys, enterprise.Residency{EnterpriseID: e.ID, ParkID: p.ID,
				UnitIDs: ids, MoveIn: moveIn}); err != nil {
				return fmt.Errorf("residency of %s: %w", e.Name, err)
			}
			if err := l.lease(p, e, i, mine, moveIn); err != nil {
				return fmt.Errorf("lease of %s: %w", e.Name, err)
			}
		}
		if err := l.qualifications(e, i); err != nil {
			return err
		}
	}
	return nil
}

// lease signs a three-year contract for a resident's units from its move-in day, at the list
// rent, paid quarterly with three months' deposit; incubation tenants get two months rent-free.
func (l *loader) lease(p space.Park, e enterprise.Enterprise, i int, units []leasableUnit, moveIn civil.Date) error {
	k := leasing.Contract{Number: fmt.Sprintf("%s-%d-%03d", p.Code, moveIn.Year(), i+1), EnterpriseID: e.ID, Status: leasing.Active,
		StartOn: moveIn, EndOn: moveIn.AddMonths(36).AddDays(-1), SignedOn: moveIn.AddDays(-14), Price: units[0].rent,
		PropertyFee: units[0].fee, PaymentCycle: 3, DepositMonths: 3,
		Escalation: leasing.Escalation{Kind: "percent", BasisPoints: 300, EveryMonths: 12, FromMonth: 13}}
	for _, u := range units {
		k.Units = append(k.Units, leasing.ContractUnit{UnitID: u.id})
	}
	if units[0].kind == space.KindIncubation {
		k.RentFree = []leasing.Period{{From: moveIn, To: moveIn.AddMonths(2).AddDays(-1)}}
	}
	_, err := l.sv.Leasing.RecordContract(l.ctx, l.sys, k)
	return err
}

// Invented name parts. The combinations are fictional; every demo record says so.
var (
	namePrefixes = []string{"澄穹", "曜衡", "岚序", "霁川", "砺微", "栖禾", "朔澜", "琢光", "瀚溯", "青芮", "启衡", "沐辰", "知砚",
		"拓茵", "珩宇", "微澈", "弘岫", "檀屿", "祁蔚", "芮祺", "昀策", "翎澈", "霖朔", "璟和", "岑曦", "泓屹", "睿湃", "铂谦",
		"靖桉", "沛衍", "熠峦", "逸澍", "岱宁", "景衍", "朗岳", "骞禾", "蕴川", "晟溪", "澜芯", "禾曜"}
	nameTrades = map[string][]struct{ trade, industry, node, stage string }{
		"bio": {
			{"生物科技", "2761", "biomed.mid.biologics", "accelerating"},
			{"医疗器械", "3581", "meddev.mid.imaging", "scaling"},
			{"诊断技术", "3583", "meddev.mid.ivd", "incubating"},
			{"医药科技", "2720", "biomed.mid.chemical", "incubating"},
			{"智能医疗科技", "6513", "aimed.mid.diagnosis", "incubating"},
			{"生物医药研究", "7340", "biomed.up.discovery", "accelerating"},
		},
		"cgt": {
			{"细胞科技", "2761", "cgt.mid.cart", "accelerating"},
			{"基因技术", "2762", "cgt.mid.aav", "incubating"},
			{"生物工程", "2761", "cgt.mid.cdmo", "scaling"},
		},
		"tech": {
			{"智能科技", "6513", "aimed.mid.models", "accelerating"},
			{"数据技术", "6450", "aimed.up.data", "incubating"},
			{"智能装备", "3749", "", "scaling"},
			{"新能源科技", "3849", "", "accelerating"},
		},
	}
)

func tradesFor(code string) string {
	switch code {
	case "DX-CGT":
		return "cgt"
	case "SJQ", "ZGC-LSP", "BIOPARK":
		return "bio"
	}
	return "tech"
}

func (l *loader) enterprise(p space.Park, plan parkPlan, i int) enterprise.Enterprise {
	trades := nameTrades[tradesFor(p.Code)]
	t := trades[i%len(trades)]
	prefix := namePrefixes[l.nameIdx%len(namePrefixes)]
	round := l.nameIdx / len(namePrefixes)
	l.nameIdx++
	name := fmt.Sprintf("北京%s%s有限公司", prefix, t.trade)
	if round > 0 {
		name = fmt.Sprintf("%s%s%s（北京）有限公司", prefix, []string{"", "新", "远"}[round%3], t.trade)
	}
	l.serial++
	e := enterprise.Enterprise{
		ParkID: p.ID, Name: name, CreditCode: creditCode(plan.district, l.serial),
		LegalRepresentative: "演示", FoundedOn: civil.Of(2012+l.rnd.IntN(12), time.Month(1+l.rnd.IntN(12)), 1+l.rnd.IntN(28)),
		RegisteredCapital: measure.Yuan(int64(100+l.rnd.IntN(50)*100) * 10000), OwnershipType: "private",
		IndustryCode: t.industry, Stage: enterprise.Stage(t.stage), ScientistFounded: l.rnd.IntN(5) == 0,
		ReturneeFounded: l.rnd.IntN(4) == 0, Employees: 8 + l.rnd.IntN(180),
		Description: "演示数据：虚构企业，名称与数据均为示例。Demo data: a fictional company.",
		Tags:        []string{"演示"},
	}
	if t.node != "" {
		e.ChainNodeIDs = []string{t.node}
	}
	return e
}

func (l *loader) qualifications(e enterprise.Enterprise, i int) error {
	today := l.today
	var qs []enterprise.Qualification
	switch i % 5 {
	case 0:
		qs = append(qs, enterprise.Qualification{Kind: "high_tech", IssuedOn: today.AddDays(-700), ExpiresOn: today.AddDays(395)})
	case 1:
		qs = append(qs, enterprise.Qualification{Kind: "tech_sme", IssuedOn: today.AddDays(-320), ExpiresOn: today.AddDays(45)})
	case 2:
		qs = append(qs, enterprise.Qualification{Kind: "specialized_sme", IssuedOn: today.AddDays(-400), ExpiresOn: today.AddDays(695)},
			enterprise.Qualification{Kind: "high_tech", IssuedOn: today.AddDays(-1000), ExpiresOn: today.AddDays(95)})
	case 3:
		qs = append(qs, enterprise.Qualification{Kind: "incubating", IssuedOn: today.AddDays(-200)})
	}
	for n, q := range qs {
		q.EnterpriseID = e.ID
		q.CertificateNo = fmt.Sprintf("DEMO-%s-%d", e.CreditCode[10:17], n+1)
		if _, err := l.sv.Enterprise.CreateQualification(l.ctx, l.sys, q); err != nil {
			return fmt.Errorf("qualification of %s: %w", e.Name, err)
		}
	}
	return nil
}

func (l *loader) users(sjq, tenant string) error {
	accounts := []identity.UserInput{
		{Username: "admin", DisplayName: "平台管理员", Role: identity.Admin},
		{Username: "authority", DisplayName: "园区处（演示）", Role: identity.Authority},
		{Username: "operator", DisplayName: "四季青园区运营（演示）", Role: identity.ParkManager, ParkIDs: []string{sjq}},
		{Username: "service_desk", DisplayName: "四季青物业服务中心（演示）", Role: identity.Service, ParkIDs: []string{sjq}},
		{Username: "finance", DisplayName: "四季青财务（演示）", Role: identity.Finance, ParkIDs: []string{sjq}},
		{Username: "tenant", DisplayName: "企业管理员（演示）", Role: identity.EntAdmin, EnterpriseID: tenant},
	}
	for _, a := range accounts {
		if _, err := l.sv.Accounts.CreateUserWithHash(l.ctx, l.sys, a, passwordHash); err != nil {
			return fmt.Errorf("demo user %s: %w", a.Username, err)
		}
	}
	return nil
}
