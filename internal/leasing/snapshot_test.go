package leasing

import (
	"reflect"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// TestCombineParks: two parks' figures on one day add up by hand: 2,000 of 4,000 m² leased is
// 50 %; WALE weighted by leased area (500 m² at 2 years, 1,500 m² at 4) is 3.5 years; tenants
// add per park.
func TestCombineParks(t *testing.T) {
	a := Figures{Units: 4, LeasedUnits: 1, Tenants: 1, LeasableArea: measure.AreaM2(1000), LeasedArea: measure.AreaM2(500), WALEYears: 2}.withRates()
	b := Figures{Units: 6, LeasedUnits: 3, Tenants: 2, LeasableArea: measure.AreaM2(3000), LeasedArea: measure.AreaM2(1500), WALEYears: 4}.withRates()
	got := Combine(a, b)
	if got.LeasedArea != measure.AreaM2(2000) || got.OccupancyRate != 0.5 || got.WALEYears != 3.5 || got.Tenants != 3 || got.UnitOccupancyRate != 0.4 {
		t.Errorf("combined = %+v", got)
	}
	if zero := Combine(Figures{}, Figures{}); zero.WALEYears != 0 || zero.OccupancyRate != 0 {
		t.Errorf("two empty parks = %+v", zero)
	}
}

// TestSnapshotRoundTrip: what a snapshot packs it unpacks, each month dated by its last day, and
// a damaged snapshot is an error rather than figures.
func TestSnapshotRoundTrip(t *testing.T) {
	first := civil.Of(2024, 1, 1)
	months := []Figures{
		{On: civil.Of(2024, 1, 31), Units: 3, LeasedUnits: 2, Tenants: 2, LeasableArea: 123456, LeasedArea: 100000, CommittedArea: 110000,
			EverLeasedArea: 120000, Expiring30: 1, Expiring60: 2, Expiring90: 3, VacantUpTo90Days: 23456, WALEYears: 1.2345},
		{On: civil.Of(2024, 2, 29), Units: 3, LeasableArea: 123456, VacantOver365Days: 123456},
	}
	for i := range months {
		months[i] = months[i].withRates()
	}
	data := EncodeMonths(months)
	got, err := DecodeMonths(data, first, first, first.AddMonths(1))
	if err != nil || !reflect.DeepEqual(got, months) {
		t.Fatalf("round trip = %+v, %v; want %+v", got, err, months)
	}
	if got, err := DecodeMonths(data, first, first.AddMonths(1), first.AddMonths(5)); err != nil || !reflect.DeepEqual(got, months[1:]) {
		t.Fatalf("from the second month = %+v, %v; want %+v", got, err, months[1:])
	}
	if _, err := DecodeMonths(data[:len(data)-3], first, first, first.AddMonths(1)); err == nil {
		t.Error("a truncated snapshot decoded without error")
	}
}
