-- Compare page partner finder: schools with no agreement with base $base_id, ranked.
-- Rule: distance ascending (km, to 0.1), then fewer existing partners, then school id.
-- "Existing" means any agreement in the data, whatever the year and kind (illustrative ones
-- only when they are shown). Coordinates that are not exact make a distance approximate.
with base as (
    select id, city, lon, lat, coalesce(geo_precision = 'exact', false) as exact
    from filtered_institutions($cities, $include_illustrative)
    where id = $base_id and type = 'base'
),
agr as materialized (
    select party_a_id, party_b_id, a_type, b_type
    from agreement_facts
    where $include_illustrative or not illustrative
),
linked as (  -- the base's partners
    select party_b_id as id from agr where party_a_id = $base_id
    union
    select party_a_id from agr where party_b_id = $base_id
),
school_ends as (  -- each agreement seen from its school side(s)
    select party_a_id as id, party_b_id as other from agr where a_type = 'school'
    union all
    select party_b_id, party_a_id from agr where b_type = 'school'
),
partners as (
    select id, count(distinct other) as partners from school_ends group by id
),
candidates as (
    select s.id as school_id, s.name_zh, s.name_en, s.subtype as stage, s.city, s.district_code,
           s.geo_precision, s.provenance, s.illustrative, s.city = b.city as same_city,
           round(haversine_km(b.lat, b.lon, s.lat, s.lon), 1) as distance_km,
           not (b.exact and coalesce(s.geo_precision = 'exact', false)) as approximate,
           coalesce(p.partners, 0) as partners
    from filtered_institutions($cities, $include_illustrative) s
    cross join base b
    left join partners p on p.id = s.id
    where s.type = 'school'
      and list_contains($stages, s.subtype)
      and s.id not in (select id from linked)
      and ($scope = 'any' or ($scope = 'same') = (s.city = b.city))
),
final as (
    select row_number() over (order by distance_km, partners, school_id) as rank,
           c.*, d.name_zh as district_zh, d.name_en as district_en
    from candidates c
    left join districts d using (district_code)
    where distance_km <= $max_km
)
select * from final
order by rank
