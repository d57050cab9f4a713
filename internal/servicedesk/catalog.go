package servicedesk

import (
	"context"
	"regexp"
	"slices"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/identity"
)

// platformCode is how a platform's code is written.
var platformCode = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// Catalog is a park's service catalog as the caller may see it: the default platforms with the
// park's changes, the default categories with the park's own replacing those of the same code,
// and the park's providers and offerings. Enterprise users see only what is active.
func (s *Service) Catalog(ctx context.Context, sc identity.Scope, parkID string) (Catalog, error) {
	if err := s.st.CheckServicePark(ctx, sc, parkID); err != nil {
		return Catalog{}, err
	}
	platforms, err := s.platforms(ctx, parkID)
	if err != nil {
		return Catalog{}, err
	}
	cats, err := s.categories(ctx, parkID, Request)
	if err != nil {
		return Catalog{}, err
	}
	providers, err := s.st.Providers(ctx, parkID)
	if err != nil {
		return Catalog{}, err
	}
	offerings, err := s.st.Offerings(ctx, parkID)
	if err != nil {
		return Catalog{}, err
	}
	c := Catalog{ParkID: parkID, Platforms: platforms, Categories: cats, Providers: providers, Offerings: offerings}
	if sc.Role.IsEnterprise() {
		c.Platforms = slices.DeleteFunc(c.Platforms, func(p Platform) bool { return !p.Active })
		c.Categories = slices.DeleteFunc(c.Categories, func(x Category) bool { return !x.Active })
		c.Providers = slices.DeleteFunc(c.Providers, func(p Provider) bool { return !p.Active })
		for i := range c.Providers {
			c.Providers[i].Members = []string{} // staff accounts are not the tenants' business
		}
		c.Offerings = slices.DeleteFunc(c.Offerings, func(o Offering) bool { return !o.Active })
	}
	return c, nil
}

// platforms are the defaults with a park's changes, then the park's own.
func (s *Service) platforms(ctx context.Context, parkID string) ([]Platform, error) {
	own, err := s.st.ParkPlatforms(ctx, parkID)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(DefaultPlatforms)
	for _, p := range own {
		if i := slices.IndexFunc(out, func(d Platform) bool { return d.Code == p.Code }); i >= 0 {
			out[i] = p
		} else {
			out = append(out, p)
		}
	}
	return out, nil
}

// categories are the defaults of a kind, a park's own replacing those of the same code.
func (s *Service) categories(ctx context.Context, parkID string, kind Kind) ([]Category, error) {
	all, err := s.st.Categories(ctx, parkID, kind)
	if err != nil {
		return nil, err
	}
	var out []Category
	for _, c := range all {
		if c.ParkID == "" && slices.ContainsFunc(all, func(o Category) bool { return o.ParkID != "" && o.Code == c.Code }) {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// Themes are the authority's categories of park demands.
func (s *Service) Themes(ctx context.Context) ([]Category, error) {
	return s.st.Categories(ctx, "", Demand)
}

// SavePlatform renames, hides or shows a platform of a park, or adds one of the park's own.
func (s *Service) SavePlatform(ctx context.Context, sc identity.Scope, parkID string, p Platform) (Platform, error) {
	if err := s.st.CheckServicePark(ctx, sc, parkID); err != nil {
		return Platform{}, err
	}
	if !mayHandle(sc, Request, parkID) {
		return Platform{}, apperr.ErrForbidden()
	}
	var f apperr.Fields
	if !platformCode.MatchString(p.Code) {
		f.Add("code", "bad_code", "编码应为小写字母开头的 2–40 位小写字母、数字或下划线", "a code is 2–40 lowercase letters, digits or underscores, starting with a letter")
	}
	check.Field(&f, "name_zh", p.NameZh, true, 100)
	check.Field(&f, "name_en", p.NameEn, true, 100)
	if !slices.Contains(Systems, p.System) {
		f.Add("system", "unknown_value", "服务体系应为 industry_tech、enterprise、gov_link 或 property", "system must be industry_tech, enterprise, gov_link or property")
	}
	if err := f.Err(); err != nil {
		return Platform{}, err
	}
	return p, s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.SavePlatform(ctx, parkID, p); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "update", "service_platform", parkID+"/"+p.Code, nil, ParkSetting{ParkID: parkID, Platform: &p})
	})
}

// AddProvider adds a team or third party to a park, or (the authority, no park) a department.
// A team's members are the park's staff (the authority's users for a department).
func (s *Service) AddProvider(ctx context.Context, sc identity.Scope, n NewProvider) (Provider, error) {
	if err := n.Validate(); err != nil {
		return Provider{}, err
	}
	if n.ParkID == "" {
		if !mayHandle(sc, Demand, "") {
			return Provider{}, apperr.ErrForbidden()
		}
	} else {
		if err := s.bodyPark(ctx, sc, n.ParkID); err != nil {
			return Provider{}, err
		}
		if !mayHandle(sc, Request, n.ParkID) {
			return Provider{}, apperr.ErrForbidden()
		}
	}
	members := []string{}
	for _, m := range n.Members {
		name, err := s.st.StaffName(ctx, n.ParkID, m)
		if err != nil {
			return Provider{}, err
		}
		if name == "" {
			return Provider{}, apperr.FieldProblem("members", "not_staff", "成员须为本园区的在职服务人员："+m, "members must be active staff of the park: "+m)
		}
		if !slices.Contains(members, name) {
			members = append(members, name)
		}
	}
	p := Provider{ID: s.st.NewID(), ParkID: n.ParkID, Name: n.Name, Kind: n.Kind, Contact: n.Contact, Description: n.Description,
		Members: members, Active: true, CreatedAt: s.clock.Now()}
	return p, s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.InsertProvider(ctx, p); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "create", "service_provider", p.ID, nil, p)
	})
}

// AddOffering adds a priced service of one of a park's providers.
func (s *Service) AddOffering(ctx context.Context, sc identity.Scope, n NewOffering) (Offering, error) {
	if err := n.Validate(); err != nil {
		return Offering{}, err
	}
	p, err := s.st.GetProvider(ctx, sc, n.ProviderID)
	if apperr.Is(err, apperr.NotFound) || err == nil && p.ParkID == "" {
		return Offering{}, apperr.FieldProblem("provider_id", "not_found", "没有该服务商", "no such provider")
	}
	if err != nil {
		return Offering{}, err
	}
	if !mayHandle(sc, Request, p.ParkID) {
		return Offering{}, apperr.ErrForbidden()
	}
	platforms, err := s.platforms(ctx, p.ParkID)
	if err != nil {
		return Offering{}, err
	}
	if !slices.ContainsFunc(platforms, func(x Platform) bool { return x.Code == n.Platform }) {
		return Offering{}, apperr.FieldProblem("platform", "not_found", "没有该服务平台", "no such platform")
	}
	o := Offering{ID: s.st.NewID(), ParkID: p.ParkID, ProviderID: p.ID, ProviderName: p.Name, Platform: n.Platform, Name: n.Name,
		Description: n.Description, Price: n.Price, PriceUnit: n.PriceUnit, LeadDays: n.LeadDays, Active: true, CreatedAt: s.clock.Now()}
	return o, s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.InsertOffering(ctx, o); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "create", "service_offering", o.ID, nil, o)
	})
}

// AddCategory adds a park's request category with its SLA and routing; one with a default's
// code replaces the default in that park.
func (s *Service) AddCategory(ctx context.Context, sc identity.Scope, n NewCategory) (Category, error) {
	if err := n.Validate(); err != nil {
		return Category{}, err
	}
	if err := s.bodyPark(ctx, sc, n.ParkID); err != nil {
		return Category{}, err
	}
	if !mayHandle(sc, Request, n.ParkID) {
		return Category{}, apperr.ErrForbidden()
	}
	platforms, err := s.platforms(ctx, n.ParkID)
	if err != nil {
		return Category{}, err
	}
	if !slices.ContainsFunc(platforms, func(x Platform) bool { return x.Code == n.Platform }) {
		return Category{}, apperr.FieldProblem("platform", "not_found", "没有该服务平台", "no such platform")
	}
	if n.ProviderID != "" {
		p, err := s.st.GetProvider(ctx, sc, n.ProviderID)
		if apperr.Is(err, apperr.NotFound) || err == nil && p.ParkID != n.ParkID {
			return Category{}, apperr.FieldProblem("provider_id", "not_found", "本园区没有该服务商", "the park has no such provider")
		}
		if err != nil {
			return Category{}, err
		}
	}
	c := Category{ID: s.st.NewID(), ParkID: n.ParkID, Kind: Request, Code: n.Code, NameZh: n.NameZh, NameEn: n.NameEn, Platform: n.Platform,
		ResponseHours: n.ResponseHours, ResolutionHours: n.ResolutionHours, ProviderID: n.ProviderID, NeedsUnit: n.NeedsUnit, Active: true}
	return c, s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.InsertCategory(ctx, c); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "create", "service_category", c.ID, nil, c)
	})
}
