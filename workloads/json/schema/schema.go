// Package schema holds the typed structures every Go variant of the json workload decodes
// into (workloads/README.md, "json"), and the workload's checksum over them. easyjson's
// generated code for these types is schema_easyjson.go, generated with -no_std_marshalers so
// that encoding/json, sonic and go-json never call it (see gen.go).
package schema

import (
	"math"
	"slices"
	"strconv"
)

// Social is the social shape: posts with nested users.
type Social struct {
	Posts []Post `json:"posts"`
}

// Post is one post of the social shape.
type Post struct {
	ID        uint64   `json:"id"`
	User      User     `json:"user"`
	Text      string   `json:"text"`
	CreatedAt string   `json:"created_at"`
	Score     int64    `json:"score"`
	Sensitive bool     `json:"sensitive"`
	ReplyTo   *uint64  `json:"reply_to"`       // null or a 64-bit id
	Lang      *string  `json:"lang,omitempty"` // absent from some posts
	Tags      []string `json:"tags"`
}

// User is the author of a post.
type User struct {
	ID         uint64  `json:"id"`
	Name       string  `json:"name"`
	ScreenName string  `json:"screen_name"`
	Verified   bool    `json:"verified"`
	Followers  int64   `json:"followers"`
	Bio        *string `json:"bio"` // null or a string
}

// Catalog is the catalog shape: products keyed by numeric strings, and categories.
type Catalog struct {
	Products   map[string]Product `json:"products"`
	Categories []Category         `json:"categories"`
}

// Product is one product of the catalog.
type Product struct {
	Name       string            `json:"name"`
	Price      float64           `json:"price"`
	Stock      int64             `json:"stock"`
	Available  bool              `json:"available"`
	Tags       []string          `json:"tags"`
	Variants   []Variant         `json:"variants"`
	Attributes map[string]string `json:"attributes"`
}

// Variant is one variant of a product.
type Variant struct {
	SKU    string  `json:"sku"`
	Size   string  `json:"size"`
	Weight float64 `json:"weight"`
}

// Category lists product ids.
type Category struct {
	ID         uint64   `json:"id"`
	Name       string   `json:"name"`
	ProductIDs []uint64 `json:"product_ids"`
}

// Geo is the geo shape: a GeoJSON FeatureCollection of multipolygons.
type Geo struct {
	Type     string    `json:"type"`
	Features []Feature `json:"features"`
}

// Feature is one GeoJSON feature.
type Feature struct {
	Type       string     `json:"type"`
	Properties Properties `json:"properties"`
	Geometry   Geometry   `json:"geometry"`
}

// Properties of a feature.
type Properties struct {
	Name string `json:"name"`
	ID   uint64 `json:"id"`
}

// Geometry is a multipolygon: polygons of rings of [lon, lat] points.
type Geometry struct {
	Type        string          `json:"type"`
	Coordinates [][][][]float64 `json:"coordinates"`
}

// Sum accumulates the checksum (workloads/README.md, "json", checksum).
type Sum struct {
	Objects, Elements, Ints, Trues, Nulls uint64
	Strings                               uint64 // FNV-1a 64 state
	Floats                                float64
}

// NewSum starts a checksum.
func NewSum() Sum { return Sum{Strings: 0xcbf29ce484222325} }

// Str hashes the string's bytes then the separator 0xff (never in UTF-8).
func (s *Sum) Str(v string) {
	h := s.Strings
	for i := 0; i < len(v); i++ {
		h ^= uint64(v[i])
		h *= 0x100000001b3
	}
	h ^= 0xff
	h *= 0x100000001b3
	s.Strings = h
}

// Bool counts trues.
func (s *Sum) Bool(v bool) {
	if v {
		s.Trues++
	}
}

// Int adds an integer, wrapping.
func (s *Sum) Int(v uint64) { s.Ints += v }

// String is the checksum: objects elements ints trues nulls strings-hash float-sum.
func (s *Sum) String() string {
	b := strconv.AppendUint(nil, s.Objects, 10)
	for _, v := range []uint64{s.Elements, s.Ints, s.Trues, s.Nulls} {
		b = append(b, ' ')
		b = strconv.AppendUint(b, v, 10)
	}
	b = append(b, ' ')
	h := strconv.FormatUint(s.Strings, 16)
	for range 16 - len(h) {
		b = append(b, '0')
	}
	b = append(b, h...)
	b = append(b, ' ')
	f := s.Floats
	if f == 0 {
		f = 0 // -0 prints as 0
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return string(append(b, "nan"...))
	}
	return string(strconv.AppendFloat(b, f, 'g', 17, 64))
}

// Checksum walks a Social in schema order.
func (d *Social) Checksum() string {
	s := NewSum()
	s.Objects++
	for i := range d.Posts {
		p := &d.Posts[i]
		s.Elements++
		s.Objects++
		s.Int(p.ID)
		u := &p.User
		s.Objects++
		s.Int(u.ID)
		s.Str(u.Name)
		s.Str(u.ScreenName)
		s.Bool(u.Verified)
		s.Int(uint64(u.Followers))
		if u.Bio == nil {
			s.Nulls++
		} else {
			s.Str(*u.Bio)
		}
		s.Str(p.Text)
		s.Str(p.CreatedAt)
		s.Int(uint64(p.Score))
		s.Bool(p.Sensitive)
		if p.ReplyTo == nil {
			s.Nulls++
		} else {
			s.Int(*p.ReplyTo)
		}
		if p.Lang == nil {
			s.Nulls++
		} else {
			s.Str(*p.Lang)
		}
		for _, t := range p.Tags {
			s.Elements++
			s.Str(t)
		}
	}
	return s.String()
}

// sortedKeys returns a map's keys in ascending byte order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Checksum walks a Catalog in schema order, map entries by ascending key.
func (d *Catalog) Checksum() string {
	s := NewSum()
	s.Objects += 2 // the document and its products map
	for _, k := range sortedKeys(d.Products) {
		p := d.Products[k]
		s.Elements++
		s.Str(k)
		s.Objects++
		s.Str(p.Name)
		s.Floats += p.Price
		s.Int(uint64(p.Stock))
		s.Bool(p.Available)
		for _, t := range p.Tags {
			s.Elements++
			s.Str(t)
		}
		for _, v := range p.Variants {
			s.Elements++
			s.Objects++
			s.Str(v.SKU)
			s.Str(v.Size)
			s.Floats += v.Weight
		}
		s.Objects++
		for _, ak := range sortedKeys(p.Attributes) {
			s.Elements++
			s.Str(ak)
			s.Str(p.Attributes[ak])
		}
	}
	for _, c := range d.Categories {
		s.Elements++
		s.Objects++
		s.Int(c.ID)
		s.Str(c.Name)
		for _, id := range c.ProductIDs {
			s.Elements++
			s.Int(id)
		}
	}
	return s.String()
}

// Checksum walks a Geo in schema order.
func (d *Geo) Checksum() string {
	s := NewSum()
	s.Objects++
	s.Str(d.Type)
	for i := range d.Features {
		f := &d.Features[i]
		s.Elements++
		s.Objects += 3 // feature, properties, geometry
		s.Str(f.Type)
		s.Str(f.Properties.Name)
		s.Int(f.Properties.ID)
		s.Str(f.Geometry.Type)
		for _, poly := range f.Geometry.Coordinates {
			s.Elements++
			for _, ring := range poly {
				s.Elements++
				for _, pt := range ring {
					s.Elements++
					for _, c := range pt {
						s.Elements++
						s.Floats += c
					}
				}
			}
		}
	}
	return s.String()
}
