package enterprise

import (
	"strings"

	"github.com/parkos/parkos/internal/apperr"
)

// creditAlphabet is the GB 32100-2015 character set: digits and capitals without I, O, S, V, Z.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are 3^(i) mod 31 for positions 1..17, as the standard tabulates them.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeProblem says what is wrong with a unified social credit code, or "" when it is valid.
func CreditCodeProblem(code string) string {
	if len(code) != 18 {
		return "length"
	}
	sum := 0
	for i := 0; i < 18; i++ {
		v := strings.IndexByte(creditAlphabet, code[i])
		if v < 0 {
			return "charset"
		}
		if i < 17 {
			sum += v * creditWeights[i]
		}
	}
	if creditAlphabet[(31-sum%31)%31] != code[17] {
		return "check_char"
	}
	return ""
}

// CheckCreditCode adds a field error when code is not a valid unified social credit code.
func CheckCreditCode(f *apperr.Fields, field, code string) {
	switch CreditCodeProblem(code) {
	case "length":
		f.Add(field, "length", "统一社会信用代码应为 18 位", "unified social credit code must have 18 characters")
	case "charset":
		f.Add(field, "charset", "统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）",
			"unified social credit code has a character outside GB 32100 (no I, O, S, V, Z)")
	case "check_char":
		f.Add(field, "check_char", "统一社会信用代码校验位错误，请核对", "unified social credit code check character is wrong")
	}
}

// CreditCheckChar returns the check character for the first 17 characters of a code. It is
// how the demo and the generator make valid codes for fictional companies.
func CreditCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(creditAlphabet, first17[i]) * creditWeights[i]
	}
	return creditAlphabet[(31-sum%31)%31]
}
