package quota

import "ccwb.dev/contract/pricing"

// Usage is what a user used in one period.
type Usage struct {
	pricing.Tokens
	// MicroUSD is the priced tokens' cost in millionths of a dollar.
	MicroUSD int64
	// UnpricedTokens are tokens of models no price matches: counted in Tokens, not in MicroUSD.
	UnpricedTokens int64
	UnpricedModels []string
	Requests       int64
}

// Value is the usage in the unit of m: tokens, or USD.
func (u Usage) Value(m Metric) float64 {
	if m == USD {
		return float64(u.MicroUSD) / 1e6
	}
	return float64(u.Total())
}

// Add adds one request's tokens, priced with prices, for model.
func (u *Usage) Add(t pricing.Tokens, model string, prices []pricing.Price) {
	u.Input += t.Input
	u.Output += t.Output
	u.CacheRead += t.CacheRead
	u.CacheCreation += t.CacheCreation
	u.Requests++
	if p, ok := pricing.Lookup(prices, model); ok {
		u.MicroUSD += p.MicroUSD(t)
		return
	}
	u.UnpricedTokens += t.Total()
	for _, m := range u.UnpricedModels {
		if m == model {
			return
		}
	}
	u.UnpricedModels = append(u.UnpricedModels, model)
}
