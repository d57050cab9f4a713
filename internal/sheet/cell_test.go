package sheet

import (
	"os"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

func TestNumber(t *testing.T) {
	for in, want := range map[string]string{
		"1234.5": "1234.5", " 1,234.50 ": "1234.50", "１２３４．５": "1234.5", "1，234": "1234",
		"1 234 567": "1234567", "-12": "-12", "+7": "7", ".5": "0.5", "-.5": "-0.5", "12.": "12",
		"1.2345E+7": "12345000", "3E-2": "0.03", "100元": "100", "\u00a0\u300088\u3000": "88", "": "", "  ": "",
	} {
		got, err := Number(in)
		if err != nil || got != want {
			t.Errorf("Number(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"abc", "1.2.3", "--1", "1-2", "+-1", ".", "-", "12万", "NaN", "Inf", "1e400"} {
		if got, err := Number(bad); err == nil {
			t.Errorf("Number(%q) = %q, want an error", bad, got)
		}
	}
}

func TestMoney(t *testing.T) {
	cases := []struct {
		in   string
		wan  bool
		want measure.Money
	}{
		{"1,234.56", false, 123456}, {"12.5", true, measure.Yuan(125000)}, {"0.000001", true, 1},
		{"-3", true, measure.Yuan(-30000)}, {"１２３", true, measure.Yuan(1230000)},
	}
	for _, c := range cases {
		got, ok, err := Money(c.in, c.wan)
		if err != nil || !ok || got != c.want {
			t.Errorf("Money(%q, %v) = %v, %v, %v; want %v", c.in, c.wan, got, ok, err, c.want)
		}
	}
	if _, _, err := Money("1.001", false); err != errPrecision {
		t.Errorf("three decimals of yuan: %v", err)
	}
	if _, _, err := Money("0.0000001", true); err != errPrecision {
		t.Errorf("seven decimals of 万元: %v", err)
	}
	if _, ok, err := Money(" ", true); ok || err != nil {
		t.Errorf("blank money: %v %v", ok, err)
	}
}

func TestInteger(t *testing.T) {
	for in, want := range map[string]int64{"12": 12, "12.0": 12, "１，２００": 1200, "-3": -3} {
		if got, ok, err := Integer(in); err != nil || !ok || got != want {
			t.Errorf("Integer(%q) = %d, %v", in, got, err)
		}
	}
	if _, _, err := Integer("12.5"); err != errNotInteger {
		t.Errorf("12.5: %v", err)
	}
	if _, _, err := Integer(strings.Repeat("9", 30)); err != errRange {
		t.Errorf("huge: %v", err)
	}
}

func TestDate(t *testing.T) {
	jan5 := civil.Of(2024, 1, 5)
	for _, in := range []string{"45296", "45296.75", "2024-01-05", "2024/1/5", "2024.1.5", "2024年1月5日", "２０２４年１月５日", "2024-01-05 09:30:00"} {
		if got, ok, err := Date(in); err != nil || !ok || got != jan5 {
			t.Errorf("Date(%q) = %v, %v", in, got, err)
		}
	}
	if got, _, _ := Date("61"); got != civil.Of(1900, 3, 1) {
		t.Errorf("serial 61 = %v, want 1900-03-01", got)
	}
	for _, bad := range []string{"2024-02-30", "24/1/5", "5/1/2024", "2024-13-01", "tomorrow", "60", "2024年1月"} {
		if got, _, err := Date(bad); err == nil {
			t.Errorf("Date(%q) = %v, want an error", bad, got)
		}
	}
}

func TestFindHeaderUnderTitleRows(t *testing.T) {
	rows := [][]string{
		{"2024年一季度报表"},
		{},
		{"序号", " 统一社会信用代码 ", "营收（万元）", "Employees"},
	}
	h, missing := FindHeader(rows, reportColumns)
	if len(missing) != 0 || h.Row != 2 || h.Column["revenue"] != 2 || !h.Wan["revenue"] || h.Column["employees"] != 3 {
		t.Fatalf("header = %+v, missing %v", h, missing)
	}
	_, missing = FindHeader([][]string{{"企业名称", "营业收入"}}, reportColumns)
	if len(missing) != 1 || missing[0].Key != "credit_code" {
		t.Fatalf("missing = %v", missing)
	}
}

func FuzzNumber(f *testing.F) {
	for _, s := range []string{"1,234.5", "１２３", "1e5", "-.5", "", "元", "1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Number(s)
		if err != nil || n == "" {
			return
		}
		// Whatever Number accepts is a plain decimal the exact parsers understand or refuse
		// for precision or range, never for syntax.
		if _, err := measure.ParseDecimal2(n); err == measure.ErrSyntax {
			t.Fatalf("Number(%q) = %q, which is not a plain decimal", s, n)
		}
		if _, _, err := Money(s, true); err == errNotNumber {
			t.Fatalf("Money refused %q that Number read as %q", s, n)
		}
	})
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"45296", "2024/1/5", "2024年1月5日", "2024-01-05 09:30", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok, err := Date(s)
		if err != nil || !ok {
			return
		}
		back, err := civil.Parse(d.String())
		if err != nil || back != d {
			t.Fatalf("Date(%q) = %v does not round-trip", s, d)
		}
	})
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("统一社会信用代码,营业收入\n1,2\n"))
	f.Add([]byte("\xd3\xaa\xd2\xb5,\"a\"\"b\"\n"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{0xef, 0xbb, 0xbf, 'a', '\n'})
	// Real files, so that mutations reach the xlsx parser and the GBK decoder.
	for _, name := range []string{"testdata/quirks.xlsx", "testdata/gbk.csv"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	lim := Limits{MaxBytes: 1 << 20, MaxUncompressed: 8 << 20, MaxRows: 1000, MaxCells: 10000, MaxStrings: 10000}
	f.Fuzz(func(t *testing.T, data []byte) {
		tables, err := Read(data, lim)
		if err != nil {
			return
		}
		for _, tb := range tables {
			if len(tb.Rows) > lim.MaxRows {
				t.Fatalf("%d rows past the limit", len(tb.Rows))
			}
			FindHeader(tb.Rows, reportColumns)
		}
	})
}

// Text a spreadsheet would run as a formula is exported with a leading apostrophe, and read
// back as it was; numbers, negative ones too, stay numbers.
func TestSafeTextRoundTrip(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+86 10": "'+86 10", "@SUM(A1)": "'@SUM(A1)",
		"-cmd|' /C calc'!A0": "'-cmd|' /C calc'!A0", "\tx": "'\tx", "-12.50": "-12.50", "研发楼": "研发楼", "": "",
		"-1e5": "'-1e5", "-Inf": "'-Inf", "-2-2": "'-2-2", "\n=1+1": "'\n=1+1"} {
		if got := SafeText(in); got != want {
			t.Errorf("SafeText(%q) = %q, want %q", in, got, want)
		}
		if back := Clean(SafeText(in)); back != in {
			t.Errorf("Clean(SafeText(%q)) = %q", in, back)
		}
	}
	for in, want := range map[string]string{"=1+1": "'=1+1", "@x": "'@x", "-2-01": "-2-01", "\rx": "'\rx", "研发楼": "研发楼"} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Clean("'plain"); got != "'plain" {
		t.Errorf("an apostrophe before ordinary text is kept: %q", got)
	}
}
