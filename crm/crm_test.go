package crm

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/guichet/guichet/errs"
)

func fieldOf(t *testing.T, err error) string {
	t.Helper()
	if errs.KindOf(err) != errs.Invalid {
		t.Fatalf("kind %v (%v), want invalid", errs.KindOf(err), err)
	}
	return errs.Find(err).Field
}

// Ensure the filter rules refuse what the CRM cannot answer, naming the
// field of the API's filter argument.
func TestFilterValidate(t *testing.T) {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, ok := range []Filter{{}, {Type: TypeOf(TypePaidBy)}, {Type: TypeOf(TypeNormal), PostalCode: "69001"},
		{Origin: "WEB"}, {OldCode: "A1"}, {ModifiedFrom: day}, {ModifiedFrom: day, ModifiedTo: day.Add(time.Hour)}, {PayerCode: 4}} {
		if err := ok.Validate(); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}
	for _, tc := range []struct {
		f     Filter
		field string
	}{
		{Filter{Type: TypeOf(TypeOther)}, "filter.type"},
		{Filter{Type: TypeOf(Type(42))}, "filter.type"},
		{Filter{PostalCode: "69001"}, "filter.postalCode"},
		{Filter{Origin: "WEB", TranscoCode: "X1"}, "filter"},
		{Filter{Type: TypeOf(TypeNormal), OldCode: "A1"}, "filter"},
		{Filter{Origin: "WEB", PayerCode: 3}, "filter"},
		{Filter{PayerCode: -1}, "filter.payerCode"},
		{Filter{ModifiedTo: day}, "filter.modifiedFrom"},
		{Filter{ModifiedFrom: day, ModifiedTo: day.Add(-time.Hour)}, "filter.modifiedTo"},
	} {
		if got := fieldOf(t, tc.f.Validate()); got != tc.field {
			t.Errorf("%+v: field %q, want %q", tc.f, got, tc.field)
		}
	}
}

// Ensure an input is checked before any call and maps to the record and the
// list of fields the caller set, address lines in their places.
func TestInput(t *testing.T) {
	str := func(s string) *string { return &s }
	code, payer := 7, 12
	paid, other := TypePaidBy, TypeOther
	for _, tc := range []struct {
		in    Input
		field string
	}{
		{Input{LastName: str("X")}, "email"},
		{Input{Email: str("a@b.fr"), Type: &paid}, "payerCode"},
		{Input{Code: &code, Type: &other}, "type"},
		{Input{Code: &code, AddressLines: []string{"a", "b", "c", "d"}}, "addressLines"},
	} {
		if got := fieldOf(t, tc.in.Validate()); got != tc.field {
			t.Errorf("%+v: field %q, want %q", tc.in, got, tc.field)
		}
	}
	// An update may retype to PAID_BY without a payer: the stored one stays.
	if err := (Input{Code: &code, Type: &paid}).Validate(); err != nil {
		t.Fatal(err)
	}
	in := Input{Code: &code, Email: str("a@b.fr"), AddressLines: []string{"12 rue X"}, Type: &paid, PayerCode: &payer}
	s, fields := in.Record()
	want := &Subscriber{Code: 7, Email: "a@b.fr", Address2: "12 rue X", Type: TypePaidBy, PayerCode: 12}
	if !reflect.DeepEqual(s, want) || !reflect.DeepEqual(fields, []Field{FieldEmail, FieldAddressLines, FieldType, FieldPayerCode}) {
		t.Fatalf("record %+v fields %v", *s, fields)
	}
	s.SetAddressLines([]string{"Bât A", "12 rue X"})
	if s.Address1 != "Bât A" || s.Address2 != "12 rue X" || s.Address3 != "" || !reflect.DeepEqual(s.AddressLines(), []string{"Bât A", "12 rue X"}) {
		t.Fatalf("two lines: %q %q %q", s.Address1, s.Address2, s.Address3)
	}
}

// Ensure a change of type needs a payer exactly for PAID_BY, and OTHER is refused.
func TestCheckTypeChange(t *testing.T) {
	one := 1
	if err := CheckTypeChange(TypePaidBy, &one); err != nil {
		t.Fatal(err)
	}
	if err := CheckTypeChange(TypeProspect, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		t     Type
		payer *int
		field string
	}{{TypePaidBy, nil, "payerCode"}, {TypeNormal, &one, "payerCode"}, {TypeOther, nil, "type"}} {
		if got := fieldOf(t, CheckTypeChange(tc.t, tc.payer)); got != tc.field {
			t.Errorf("%v: field %q, want %q", tc.t, got, tc.field)
		}
	}
}

// Ensure Type round-trips through the enum names of the schema.
func TestTypeGraphQL(t *testing.T) {
	for _, typ := range Types {
		var b bytes.Buffer
		typ.MarshalGQL(&b)
		var back Type
		if err := back.UnmarshalGQL(b.String()[1 : b.Len()-1]); err != nil || back != typ {
			t.Fatalf("%v: %s -> %v %v", typ, b.String(), back, err)
		}
	}
	var b bytes.Buffer
	Type(42).MarshalGQL(&b)
	if b.String() != `"OTHER"` {
		t.Fatalf("unknown type written %s", b.String())
	}
	var x Type
	if x.UnmarshalGQL("GOLD") == nil || x.UnmarshalGQL(3) == nil {
		t.Fatal("unknown names must be refused")
	}
	if (Subscriber{Code: 9, Email: "a@b.fr"}).String() != "crm.Subscriber{Code:9}" {
		t.Fatal("String shows personal data")
	}
}
