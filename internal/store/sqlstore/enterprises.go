package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

const enterpriseCols = `e.id, e.park_id, e.name, e.name_en, e.credit_code, e.legal_representative, e.founded_on,
	e.registered_capital, e.ownership_type, e.industry_code, e.stage, e.scientist_founded, e.returnee_founded, e.employees,
	e.website, e.contact_name, e.contact_phone, e.description, e.created_at, e.updated_at, e.tag_list, e.chain_node_list`

func scanEnterprise(r scanner) (enterprise.Enterprise, error) {
	var e enterprise.Enterprise
	err := scanEnterpriseInto(r, &e)
	return e, err
}

func scanEnterpriseInto(r scanner, e *enterprise.Enterprise) error {
	return r.Scan(&e.ID, nullString{&e.ParkID}, &e.Name, &e.NameEn, nullString{&e.CreditCode}, &e.LegalRepresentative,
		&e.FoundedOn, &e.RegisteredCapital, &e.OwnershipType, nullString{&e.IndustryCode}, &e.Stage, &e.ScientistFounded,
		&e.ReturneeFounded, &e.Employees, &e.Website, &e.ContactName, &e.ContactPhone, &e.Description, &e.CreatedAt, &e.UpdatedAt,
		attachedList{&e.Tags}, attachedList{&e.ChainNodeIDs})
}

func enterpriseNotFound() error { return notFound("企业", "enterprise") }

// ListEnterprises lists the enterprises the caller may see.
func (s *Store) ListEnterprises(ctx context.Context, sc identity.Scope, f enterprise.Filter, req page.Request) (page.Page[enterprise.Enterprise], error) {
	l := listQuery[enterprise.Enterprise]{
		selectFrom: "SELECT " + enterpriseCols + " FROM enterprises e",
		idExpr:     "e.id",
		sorts: []sortKey[enterprise.Enterprise]{
			{"name", "e.name", func(e enterprise.Enterprise) any { return e.Name }},
			{"employees", "e.employees", func(e enterprise.Enterprise) any { return int64(e.Employees) }},
			{"registered_capital", "e.registered_capital", func(e enterprise.Enterprise) any { return int64(e.RegisteredCapital) }},
			{"created_at", "e.created_at", func(e enterprise.Enterprise) any { return e.CreatedAt }},
		},
		scan: func(r *sql.Rows, e *enterprise.Enterprise) error { return scanEnterpriseInto(r, e) },
		id:   func(e enterprise.Enterprise) string { return e.ID },
	}
	// A park's list walks park_enterprises in name order, at the same cost whatever the park's
	// size: the filter's park, or an operator's only park.
	park := f.ParkID
	if park == "" && sc.Role.IsOperator() && !sc.AllParks() && len(sc.ParkIDs) == 1 {
		park = sc.ParkIDs[0]
	}
	if park != "" {
		l.selectFrom = "SELECT " + enterpriseCols + " FROM park_enterprises pe JOIN enterprises e ON e.id = pe.enterprise_id"
		l.idExpr, l.sorts[0].expr = "pe.enterprise_id", "pe.name"
		l.filter("pe.park_id = ?", park)
	}
	if park == "" || !sc.HasPark(park) { // the park's enterprises are all in the scope of its operators
		cond, args := enterpriseScope(sc, "e.id")
		l.filter(cond, args...)
	}
	if code := strings.ToUpper(strings.TrimSpace(f.Q)); f.Q != "" && enterprise.CreditCodeProblem(code) == "" {
		l.filter("e.credit_code = ?", code) // a whole credit code finds its one enterprise by the unique index
	} else if f.Q != "" {
		// Walks the name index in order, reading names without the rows (enterprises_search).
		l.filter(`(lower(e.name) LIKE ? ESCAPE '\' OR lower(e.name_en) LIKE ? ESCAPE '\')`, likeContains(f.Q), likeContains(f.Q))
	}
	if f.Stage != "" {
		l.filter("e.stage = ?", f.Stage)
	}
	if f.IndustryCode != "" {
		l.filter(`e.industry_code LIKE ? ESCAPE '\'`, likePrefix(f.IndustryCode))
	}
	if f.Qualification != "" {
		l.filter("EXISTS (SELECT 1 FROM qualifications fq WHERE fq.enterprise_id = e.id AND fq.kind = ?)", f.Qualification)
	}
	return l.run(ctx, s.read(ctx), req)
}

// GetEnterprise returns one enterprise.
func (s *Store) GetEnterprise(ctx context.Context, sc identity.Scope, id string) (enterprise.Enterprise, error) {
	return s.getEnterprise(ctx, s.read(ctx), sc, id)
}

func (s *Store) getEnterprise(ctx context.Context, c conn, sc identity.Scope, id string) (enterprise.Enterprise, error) {
	cond, args := enterpriseScope(sc, "e.id")
	e, err := scanEnterprise(c.queryRow(ctx, "SELECT "+enterpriseCols+" FROM enterprises e WHERE e.id = ? AND "+cond,
		append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return e, enterpriseNotFound()
	}
	return e, err
}

// checkEnterpriseRefs verifies the park (in the caller's scope), industry class and chain nodes.
func (s *Store) checkEnterpriseRefs(ctx context.Context, c conn, sc identity.Scope, e enterprise.Enterprise) error {
	if e.ParkID != "" && !sc.HasPark(e.ParkID) {
		return fieldErr("park_id", "not_found", "园区不存在", "no such park")
	}
	if sc.Role.IsOperator() && e.ParkID == "" {
		return fieldErr("park_id", "required", "请选择企业所属园区", "choose the park that keeps this enterprise's record")
	}
	if e.IndustryCode != "" {
		var level string
		err := c.queryRow(ctx, `SELECT level FROM industry_classes WHERE code = ?`, e.IndustryCode).Scan(&level)
		if errors.Is(err, sql.ErrNoRows) {
			return fieldErr("industry_code", "not_found", "国民经济行业分类代码不存在（GB/T 4754-2017）",
				"no such GB/T 4754-2017 industry code")
		}
		if err != nil {
			return err
		}
	}
	return checkKnown(ctx, c, "chain_nodes", "id", "chain_node_ids", e.ChainNodeIDs)
}

func (s *Store) saveEnterpriseLists(ctx context.Context, c conn, e enterprise.Enterprise) error {
	for _, q := range []string{`DELETE FROM enterprise_tags WHERE enterprise_id = ?`, `DELETE FROM enterprise_chain_nodes WHERE enterprise_id = ?`} {
		if _, err := c.exec(ctx, q, e.ID); err != nil {
			return err
		}
	}
	for _, t := range dedupe(e.Tags) {
		if _, err := c.exec(ctx, `INSERT INTO enterprise_tags (enterprise_id, tag) VALUES (?, ?)`, e.ID, t); err != nil {
			return err
		}
	}
	for _, n := range dedupe(e.ChainNodeIDs) {
		if _, err := c.exec(ctx, `INSERT INTO enterprise_chain_nodes (enterprise_id, node_id) VALUES (?, ?)`, e.ID, n); err != nil {
			return err
		}
	}
	return nil
}

// afterEnterpriseWrite finishes an insert or update: a duplicate credit code becomes a field
// conflict, the tag and chain-node lists are saved, and the stored record is read back.
func (s *Store) afterEnterpriseWrite(ctx context.Context, c conn, sc identity.Scope, e enterprise.Enterprise, err error) (enterprise.Enterprise, error) {
	if err := s.constraintError(err, "credit_code", "已有企业使用该统一社会信用代码", "another enterprise already has this credit code"); err != nil {
		return e, err
	}
	if err := s.saveEnterpriseLists(ctx, c, e); err != nil {
		return e, err
	}
	return s.getEnterprise(ctx, c, sc, e.ID)
}

// createEnterprise inserts a validated enterprise inside the caller's transaction, its
// references resolved in the caller's scope.
func (s *Store) createEnterprise(ctx context.Context, c conn, sc identity.Scope, e enterprise.Enterprise) (enterprise.Enterprise, error) {
	e.ID, e.CreatedAt, e.UpdatedAt = newID(), s.now(), s.now()
	if err := s.checkEnterpriseRefs(ctx, c, sc, e); err != nil {
		return e, err
	}
	_, err := c.exec(ctx, `INSERT INTO enterprises (id, park_id, name, name_en, credit_code, legal_representative, founded_on,
		registered_capital, ownership_type, industry_code, stage, scientist_founded, returnee_founded, employees, website,
		contact_name, contact_phone, description, created_at, updated_at) VALUES (`+bindParams(20)+`)`,
		e.ID, nullable(e.ParkID), e.Name, e.NameEn, nullable(e.CreditCode), e.LegalRepresentative, e.FoundedOn,
		e.RegisteredCapital, e.OwnershipType, nullable(e.IndustryCode), e.Stage, e.ScientistFounded, e.ReturneeFounded,
		e.Employees, e.Website, e.ContactName, e.ContactPhone, e.Description, e.CreatedAt, e.UpdatedAt)
	return s.afterEnterpriseWrite(ctx, c, sc, e, err)
}

// InsertEnterprise writes a new enterprise in the transaction of ctx, its park, industry class
// and chain nodes resolved in the caller's scope.
func (s *Store) InsertEnterprise(ctx context.Context, sc identity.Scope, e enterprise.Enterprise) (enterprise.Enterprise, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return e, err
	}
	return s.createEnterprise(ctx, c, sc, e)
}

// LockEnterprise locks an enterprise's row and reads it in the caller's scope.
func (s *Store) LockEnterprise(ctx context.Context, sc identity.Scope, id string) (enterprise.Enterprise, error) {
	return lockedRead(ctx, s, sc, "enterprises", id, s.getEnterprise)
}

// SaveEnterprise writes a changed enterprise in the transaction of ctx; with checkRefs its park,
// industry class and chain nodes are resolved in the caller's scope first.
func (s *Store) SaveEnterprise(ctx context.Context, sc identity.Scope, e enterprise.Enterprise, checkRefs bool) (enterprise.Enterprise, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return e, err
	}
	if checkRefs {
		if err := s.checkEnterpriseRefs(ctx, c, sc, e); err != nil {
			return e, err
		}
	}
	e.UpdatedAt = s.now()
	_, err = c.exec(ctx, `UPDATE enterprises SET park_id = ?, name = ?, name_en = ?, credit_code = ?, legal_representative = ?,
		founded_on = ?, registered_capital = ?, ownership_type = ?, industry_code = ?, stage = ?, scientist_founded = ?,
		returnee_founded = ?, employees = ?, website = ?, contact_name = ?, contact_phone = ?, description = ?, updated_at = ?
		WHERE id = ?`, nullable(e.ParkID), e.Name, e.NameEn, nullable(e.CreditCode), e.LegalRepresentative, e.FoundedOn,
		e.RegisteredCapital, e.OwnershipType, nullable(e.IndustryCode), e.Stage, e.ScientistFounded, e.ReturneeFounded,
		e.Employees, e.Website, e.ContactName, e.ContactPhone, e.Description, e.UpdatedAt, e.ID)
	return s.afterEnterpriseWrite(ctx, c, sc, e, err)
}

// DeleteEnterpriseRow removes an enterprise in the transaction of ctx, refusing one that still
// has residencies or user accounts.
func (s *Store) DeleteEnterpriseRow(ctx context.Context, id string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if err := refuseIfUsed(ctx, c, `SELECT count(*) FROM residencies WHERE enterprise_id = ?`, id,
		"企业有 %d 条入驻记录，不能删除；如已迁出请将阶段设为“迁出”", "the enterprise has %d residency records; set its stage to moved_out instead"); err != nil {
		return err
	}
	if err := refuseIfUsed(ctx, c, `SELECT count(*) FROM users WHERE enterprise_id = ?`, id,
		"企业还有 %d 个用户账号，请先删除账号", "the enterprise still has %d user accounts; delete them first"); err != nil {
		return err
	}
	_, err = c.exec(ctx, `DELETE FROM enterprises WHERE id = ?`, id)
	return err
}
