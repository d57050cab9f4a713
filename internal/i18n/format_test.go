package i18n

import (
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

func TestFormats(t *testing.T) {
	cases := []struct{ got, want string }{
		{Money("zh-CN", measure.Yuan(739_0000_0000)), "739.00亿元"},
		{Money("zh-CN", measure.Yuan(1_234_567)), "123.46万元"},
		{Money("zh-CN", measure.Money(123456)), "1,234.56元"},
		{Money("zh-CN", -measure.Yuan(25_000)), "-2.50万元"},
		{Money("en", measure.Yuan(1_234_567)), "¥1,234,567"},
		{Area("zh-CN", measure.AreaM2(136400)), "136,400 ㎡"},
		{Area("en", measure.Area(12345)), "123.45 m²"},
		{Int(-1234567), "-1,234,567"},
		{Date("zh-CN", civil.Of(2025, 6, 30)), "2025年6月30日"},
		{Date("en", civil.Date{}), "—"},
		{Normalize("en-GB,en;q=0.9"), "en"},
		{Normalize(""), "zh-CN"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
