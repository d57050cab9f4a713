package space

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// maxArea bounds any single area at 100 km², far above any real park, so typos are caught.
const maxArea = measure.Area(100_000_000 * 100)

func requireText(f *apperr.Fields, field, value string, max int) {
	if strings.TrimSpace(value) == "" {
		f.Required(field)
		return
	}
	checkLength(f, field, value, max)
}

func checkLength(f *apperr.Fields, field, value string, max int) {
	if utf8.RuneCountInString(value) > max {
		f.Add(field, "too_long", fmt.Sprintf("不能超过 %d 个字符", max), fmt.Sprintf("must be at most %d characters", max))
	}
}

// checkCode allows letters, digits and - _ . so codes work in URLs, files and workbooks.
func checkCode(f *apperr.Fields, field, code string) {
	requireText(f, field, code, 40)
	for _, r := range code {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			f.Add(field, "bad_code", "编码只能包含字母、数字和 - _ .", "code may only contain letters, digits and - _ .")
			return
		}
	}
}

func checkArea(f *apperr.Fields, field string, a measure.Area) {
	if a < 0 {
		f.Add(field, "negative", "面积不能为负数", "area cannot be negative")
	} else if a > maxArea {
		f.Add(field, "too_large", "面积超出合理范围", "area is implausibly large")
	}
}

func checkNonNegative(f *apperr.Fields, field string, v int64) {
	if v < 0 {
		f.Add(field, "negative", "不能为负数", "cannot be negative")
	}
}

func checkOneOf[T comparable](f *apperr.Fields, field string, v T, allowed []T) {
	if !slices.Contains(allowed, v) {
		f.Add(field, "unknown_value", fmt.Sprintf("取值无效，可选：%v", allowed), fmt.Sprintf("must be one of %v", allowed))
	}
}

// Validate checks a park's own fields.
func (p *Park) Validate() error {
	var f apperr.Fields
	checkCode(&f, "code", p.Code)
	requireText(&f, "name_zh", p.NameZh, 100)
	checkLength(&f, "name_en", p.NameEn, 200)
	checkLength(&f, "district", p.District, 50)
	checkLength(&f, "address", p.Address, 200)
	checkLength(&f, "operator", p.Operator, 100)
	checkLength(&f, "phase", p.Phase, 50)
	checkLength(&f, "contact_name", p.ContactName, 50)
	checkLength(&f, "contact_phone", p.ContactPhone, 50)
	checkLength(&f, "description", p.Description, 4000)
	if !(p.Latitude >= -90 && p.Latitude <= 90) { // NaN too
		f.Add("latitude", "out_of_range", "纬度须在 -90 到 90 之间", "latitude must be between -90 and 90")
	}
	if !(p.Longitude >= -180 && p.Longitude <= 180) {
		f.Add("longitude", "out_of_range", "经度须在 -180 到 180 之间", "longitude must be between -180 and 180")
	}
	checkArea(&f, "land_area", p.LandArea)
	checkArea(&f, "gross_floor_area", p.GrossFloorArea)
	checkArea(&f, "above_ground_area", p.AboveGroundArea)
	if p.AboveGroundArea > p.GrossFloorArea && p.GrossFloorArea > 0 {
		f.Add("above_ground_area", "exceeds_total", "地上建筑面积不能大于总建筑面积", "above-ground area cannot exceed gross floor area")
	}
	if p.Status == "" {
		p.Status = ParkOperating
	}
	checkOneOf(&f, "status", p.Status, ParkStatuses)
	if p.LeadingNodeIDs == nil {
		p.LeadingNodeIDs = []string{}
	}
	return f.Err()
}

// Validate checks a zone's own fields.
func (z *Zone) Validate() error {
	var f apperr.Fields
	requireText(&f, "park_id", z.ParkID, 64)
	checkCode(&f, "code", z.Code)
	requireText(&f, "name_zh", z.NameZh, 100)
	checkLength(&f, "name_en", z.NameEn, 200)
	checkLength(&f, "description", z.Description, 4000)
	return f.Err()
}

// Validate checks a building's own fields.
func (b *Building) Validate() error {
	var f apperr.Fields
	requireText(&f, "park_id", b.ParkID, 64)
	checkCode(&f, "code", b.Code)
	requireText(&f, "name", b.Name, 100)
	checkLength(&f, "description", b.Description, 4000)
	if b.FloorsAbove < 0 || b.FloorsAbove > 200 {
		f.Add("floors_above", "out_of_range", "地上层数须在 0 到 200 之间", "floors_above must be between 0 and 200")
	}
	if b.FloorsBelow < 0 || b.FloorsBelow > 20 {
		f.Add("floors_below", "out_of_range", "地下层数须在 0 到 20 之间", "floors_below must be between 0 and 20")
	}
	checkArea(&f, "gross_area", b.GrossArea)
	checkArea(&f, "above_ground_area", b.AboveGroundArea)
	if b.AboveGroundArea > b.GrossArea && b.GrossArea > 0 {
		f.Add("above_ground_area", "exceeds_total", "地上建筑面积不能大于总建筑面积", "above-ground area cannot exceed gross area")
	}
	if b.CompletedYear != 0 && (b.CompletedYear < 1900 || b.CompletedYear > 2100) {
		f.Add("completed_year", "out_of_range", "竣工年份须在 1900 到 2100 之间", "completed_year must be between 1900 and 2100")
	}
	return f.Err()
}

// FloorLabel is the conventional label of a level: B2, B1, 1F, 2F…
func FloorLabel(level int) string {
	if level < 0 {
		return fmt.Sprintf("B%d", -level)
	}
	return fmt.Sprintf("%dF", level)
}

// Validate checks a floor's own fields.
func (fl *Floor) Validate() error {
	var f apperr.Fields
	requireText(&f, "building_id", fl.BuildingID, 64)
	if fl.Level == 0 || fl.Level < -20 || fl.Level > 200 {
		f.Add("level", "out_of_range", "楼层须在 -20 到 200 之间且不为 0", "level must be between -20 and 200 and not 0")
	}
	if strings.TrimSpace(fl.Label) == "" {
		fl.Label = FloorLabel(fl.Level)
	}
	checkLength(&f, "label", fl.Label, 20)
	checkArea(&f, "gross_area", fl.GrossArea)
	return f.Err()
}

// Validate checks a unit's own fields.
func (u *Unit) Validate(today civil.Date) error {
	var f apperr.Fields
	requireText(&f, "floor_id", u.FloorID, 64)
	checkCode(&f, "code", u.Code)
	checkOneOf(&f, "kind", u.Kind, UnitKinds)
	checkArea(&f, "gross_area", u.GrossArea)
	checkArea(&f, "usable_area", u.UsableArea)
	if u.GrossArea == 0 {
		f.Add("gross_area", "required", "建筑面积必须大于 0", "gross_area must be greater than 0")
	}
	if u.UsableArea > u.GrossArea {
		f.Add("usable_area", "exceeds_gross", "使用面积不能大于建筑面积", "usable_area cannot exceed gross_area")
	}
	fac := &u.Facilities
	checkOneOf(&f, "facilities.biosafety_level", fac.BiosafetyLevel, BiosafetyLevels)
	checkOneOf(&f, "facilities.animal_room", fac.AnimalRoom, AnimalRoomGrades)
	checkOneOf(&f, "facilities.cleanroom_grade", fac.CleanroomGrade, CleanroomGrades)
	checkNonNegative(&f, "facilities.floor_load", int64(fac.FloorLoad))
	checkNonNegative(&f, "facilities.ceiling_height", int64(fac.CeilingHeight))
	checkNonNegative(&f, "facilities.power_kva", int64(fac.PowerKVA))
	if u.ListRent < 0 {
		f.Add("list_rent", "negative", "租金不能为负数", "list_rent cannot be negative")
	}
	if u.PropertyFee < 0 {
		f.Add("property_fee", "negative", "物业费不能为负数", "property_fee cannot be negative")
	}
	if slices.Contains(u.NeighbourIDs, u.ID) && u.ID != "" {
		f.Add("neighbour_ids", "self", "单元不能与自身相邻", "a unit cannot be its own neighbour")
	}
	if u.ValidFrom.IsZero() {
		u.ValidFrom = today
	}
	if !u.ValidTo.IsZero() && !u.ValidTo.After(u.ValidFrom) {
		f.Add("valid_to", "before_start", "失效日期必须晚于生效日期", "valid_to must be after valid_from")
	}
	checkLength(&f, "note", u.Note, 2000)
	if u.NeighbourIDs == nil {
		u.NeighbourIDs = []string{}
	}
	return f.Err()
}

// CheckSplit validates splitting parent by req: at least two parts, each a valid unit, and
// together no larger than the parent.
func CheckSplit(parent Unit, req SplitRequest) error {
	var f apperr.Fields
	checkEffective(&f, parent, req.EffectiveOn)
	if len(req.Parts) < 2 {
		f.Add("parts", "too_few", "拆分至少需要两个新单元", "a split needs at least two parts")
	}
	var total measure.Area
	codes := map[string]bool{}
	for i, p := range req.Parts {
		field := fmt.Sprintf("parts[%d]", i)
		checkCode(&f, field+".code", p.Code)
		if codes[p.Code] {
			f.Add(field+".code", "duplicate", "新单元编码重复", "part codes must differ")
		}
		codes[p.Code] = true
		if p.Kind != "" {
			checkOneOf(&f, field+".kind", p.Kind, UnitKinds)
		}
		if p.GrossArea <= 0 {
			f.Add(field+".gross_area", "required", "建筑面积必须大于 0", "gross_area must be greater than 0")
		}
		if p.UsableArea < 0 || p.UsableArea > p.GrossArea {
			f.Add(field+".usable_area", "exceeds_gross", "使用面积须在 0 与建筑面积之间", "usable_area must be between 0 and gross_area")
		}
		total += p.GrossArea
	}
	if total > parent.GrossArea {
		f.Add("parts", "exceeds_parent", fmt.Sprintf("新单元建筑面积合计 %s ㎡ 超过原单元 %s ㎡", total, parent.GrossArea),
			fmt.Sprintf("parts total %s m², more than the unit's %s m²", total, parent.GrossArea))
	}
	return f.Err()
}

// CheckMerge validates merging units: two or more current units, all on one floor, each a
// neighbour of another in the set.
func CheckMerge(units []Unit, req MergeRequest) error {
	var f apperr.Fields
	checkCode(&f, "code", req.Code)
	if req.Kind != "" {
		checkOneOf(&f, "kind", req.Kind, UnitKinds)
	}
	if len(units) < 2 {
		f.Add("unit_ids", "too_few", "合并至少需要两个单元", "a merge needs at least two units")
		return f.Err()
	}
	var gross measure.Area
	for _, u := range units {
		checkEffective(&f, u, req.EffectiveOn)
		if u.FloorID != units[0].FloorID {
			f.Add("unit_ids", "different_floors", "只能合并同一楼层的单元", "only units on one floor can be merged")
			break
		}
		gross += u.GrossArea
	}
	if !connected(units) {
		f.Add("unit_ids", "not_neighbours", "所选单元并不相邻，不能合并", "the units are not neighbours and cannot be merged")
	}
	if req.UsableArea > gross {
		f.Add("usable_area", "exceeds_gross", "使用面积不能大于合并后的建筑面积", "usable_area cannot exceed the merged gross area")
	}
	return f.Err()
}

func checkEffective(f *apperr.Fields, u Unit, on civil.Date) {
	if on.IsZero() {
		f.Required("effective_on")
		return
	}
	if !u.ValidTo.IsZero() {
		f.Add("effective_on", "retired", fmt.Sprintf("单元 %s 已于 %s 失效", u.Code, u.ValidTo),
			fmt.Sprintf("unit %s was retired on %s", u.Code, u.ValidTo))
	} else if !on.After(u.ValidFrom) {
		f.Add("effective_on", "before_unit", fmt.Sprintf("生效日期须晚于单元 %s 的启用日期 %s", u.Code, u.ValidFrom),
			fmt.Sprintf("effective_on must be after unit %s came into use on %s", u.Code, u.ValidFrom))
	}
}

// connected reports whether the neighbour relation joins all units into one group.
func connected(units []Unit) bool {
	in := map[string]bool{}
	for _, u := range units {
		in[u.ID] = true
	}
	adj := map[string][]string{}
	for _, u := range units {
		for _, n := range u.NeighbourIDs {
			if in[n] {
				adj[u.ID] = append(adj[u.ID], n)
				adj[n] = append(adj[n], u.ID)
			}
		}
	}
	seen := map[string]bool{units[0].ID: true}
	stack := []string{units[0].ID}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, n := range adj[id] {
			if !seen[n] {
				seen[n] = true
				stack = append(stack, n)
			}
		}
	}
	return len(seen) == len(units)
}

// Reshapes reports whether next changes what the unit's versions keep: its kind, areas or
// leasable flag.
func (u Unit) Reshapes(next Unit) bool {
	return u.Kind != next.Kind || u.GrossArea != next.GrossArea || u.UsableArea != next.UsableArea || u.Leasable != next.Leasable
}

// CheckEffectiveOn checks the day a reshaping change takes effect: not before today, so that
// past figures never change, and not before the unit exists.
func (u Unit) CheckEffectiveOn(on, today civil.Date) error {
	var f apperr.Fields
	switch {
	case on.Before(today):
		f.Add("effective_on", "in_past", "生效日期不能早于今天：过去的数字不会被改写",
			"effective_on cannot be before today: figures for past days do not change")
	case on.Before(u.ValidFrom):
		f.Add("effective_on", "before_start", "生效日期不能早于单元启用日期", "effective_on cannot be before the unit exists")
	}
	return f.Err()
}
