-- Run once per data version, after the six tables are loaded.
-- Materialises the joins every query needs and defines the shared filters as table macros,
-- so the filter logic lives in one place.

create or replace table institutions as
with bases_ as (
    select base_id as id, 'base' as type, name_zh, name_en, category as subtype, level, city,
           district_code, lon, lat, geo_precision, designated_year, provenance
    from bases
),
schools_ as (
    select school_id as id, 'school' as type, name_zh, name_en, stage as subtype, null as level,
           city, district_code, lon, lat, geo_precision, null as designated_year, provenance
    from schools
),
both_ as (
    select * from bases_
    union all
    select * from schools_
),
-- ix: the institution's 0-based rank by id, so the network can group agreements by two
-- integers instead of joining ids (a third of the time at 1M agreements)
final as (
    select *, provenance = 'illustrative' as illustrative,
           (row_number() over (order by id) - 1)::integer as ix
    from both_
)
select * from final;

-- The places the map's arcs join (map/arc_pairs, map/arc_links): each district at its centroid,
-- and per city its institutions known only to city level, at their mean position ('city:<city>').
create or replace table arc_places as
select district_code as place, name_zh, name_en, city, lon, lat from districts
union all
select 'city:' || city, null, null, city, avg(lon), avg(lat)
from institutions
where district_code is null
group by city;

create or replace table agreement_facts as
with final as (
    select
        a.agreement_id, a.kind, a.signed_on, year(a.signed_on) as year, a.event_id, a.title,
        a.provenance,
        a.party_a_id, pa.ix as a_ix, pa.type as a_type, pa.name_zh as a_name_zh, pa.name_en as a_name_en,
        pa.city as a_city, pa.district_code as a_district, pa.lon as a_lon, pa.lat as a_lat,
        a.party_b_id, pb.ix as b_ix, pb.type as b_type, pb.name_zh as b_name_zh, pb.name_en as b_name_en,
        pb.city as b_city, pb.district_code as b_district, pb.lon as b_lon, pb.lat as b_lat,
        (a.provenance = 'illustrative' or pa.illustrative or pb.illustrative) as illustrative,
        pa.city <> pb.city as cross_city,
        least(pa.city, pb.city) || '–' || greatest(pa.city, pb.city) as city_pair
    from agreements a
    join institutions pa on pa.id = a.party_a_id
    join institutions pb on pb.id = a.party_b_id
)
select * from final;

create or replace macro filtered_agreements(year_from, year_to, cities, kinds, include_illustrative) as table
    select * from agreement_facts
    where year between year_from and year_to
      and (list_contains(cities, a_city) or list_contains(cities, b_city))
      and list_contains(kinds, kind)
      and (include_illustrative or not illustrative);

create or replace macro filtered_institutions(cities, include_illustrative) as table
    select * from institutions
    where list_contains(cities, city)
      and (include_illustrative or not illustrative);

-- Each filtered agreement seen from each of its two parties: `id` is the party, `partner` the
-- other one (`ix`, `partner_ix`: their numbers, for counting over integers), `city` and
-- `district` the party's place. The "who did this institution (or place) sign with" queries of
-- the map start here.
create or replace macro agreement_ends(year_from, year_to, cities, kinds, include_illustrative) as table
    select agreement_id, signed_on, party_a_id as id, party_b_id as partner, a_ix as ix,
           b_ix as partner_ix, a_city as city, a_district as district
    from filtered_agreements(year_from, year_to, cities, kinds, include_illustrative)
    union all
    select agreement_id, signed_on, party_b_id, party_a_id, b_ix, a_ix, b_city, b_district
    from filtered_agreements(year_from, year_to, cities, kinds, include_illustrative);

-- Great-circle distance in km between two WGS-84 points (haversine, on a sphere of the mean
-- Earth radius). Used by the compare page's gap and partner queries; the spatial extension is
-- not installable offline, and this is all they need.
create or replace macro earth_km() as 6371.0088;

create or replace macro haversine_km(lat1, lon1, lat2, lon2) as
    2 * earth_km() * asin(sqrt(
        pow(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)));

-- km in a degree along a meridian of that sphere: the size of grid cells that must agree with
-- haversine_km (compare/gap_far_schools.sql).
create or replace macro km_per_degree() as radians(1) * earth_km();
