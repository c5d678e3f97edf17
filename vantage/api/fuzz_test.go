package api

import "testing"

// FuzzScanCost: the one-pass row reader agrees with encoding/json on every
// input both accept, so a pull never reads a field differently.
func FuzzScanCost(f *testing.F) {
	f.Add([]byte(`{"accrued_at":"2026-10-01","amount":"1.5","currency":"USD","provider":"aws","service":"S3","usage":{"amount":"3"},"tags":[{"tag_key":"a","tag_value":"b"}]}`))
	f.Add([]byte(`{"amount":"2","service":"Caf\u00e9","region":null,"x":[1,{"y":"}"}]}`))
	f.Add([]byte(`{"accrued_at":"2023-09-05+00:00","amount":"-0.004512","currency":"USD","tags":["environment:production","aws:ecs:serviceName:frontend"],"resource_name":null,"cost_category":"Tax"}`))
	f.Add([]byte(` { "amount" : "4" } `))
	f.Add([]byte(`{"amount":1}`))
	f.Add([]byte(`{"AMOUNT":"5","Service":"x"}`))
	f.Add([]byte("{\"amount\":\"\xff1\"}"))
	// Found by the fuzzer in CI: a string where an array is due was no tags
	// on the fast path and the string "" on the slow one.
	f.Add([]byte(`{"tags":""}`))
	f.Add([]byte(`{"usage":"3","tags":"a:b"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		fast, err := ScanCost(raw)
		slow, err2 := DecodeCost(raw)
		if err != nil || err2 != nil {
			return // rejected; which reader rejects first does not matter
		}
		if fast.Amount != slow.Amount || fast.Currency != slow.Currency || fast.Provider != slow.Provider ||
			fast.Service != slow.Service || fast.AccruedAt != slow.AccruedAt || fast.Region != slow.Region ||
			fast.AccountID != slow.AccountID || fast.ResourceID != slow.ResourceID || fast.ResourceName != slow.ResourceName ||
			fast.CostCategory != slow.CostCategory || fast.ChargeType != slow.ChargeType || string(fast.Tags) != string(slow.Tags) || string(fast.Usage) != string(slow.Usage) {
			t.Fatalf("%q: fast %+v, slow %+v", raw, fast, slow)
		}
		k, err := ScanCostKey(raw)
		if err != nil || k.Amount != slow.Amount || k.Currency != slow.Currency || k.Provider != slow.Provider || k.Service != slow.Service {
			t.Fatalf("%q: key %+v %v, slow %+v", raw, k, err, slow)
		}
	})
}
