-- Compare page partner finder: schools with no agreement with base $base_id, ranked; the
-- first $top of them, each with `total`, how many schools match in all.
-- Rule: distance ascending (km, to 0.1), then fewer existing partners, then school id.
-- "Existing" means any agreement in the data, whatever the year and kind (illustrative ones
-- only when they are shown). Coordinates that are not exact make a distance approximate.
-- Agreements are read by institution number (ix), not id: integers scan and match several
-- times faster than the id strings.
with base as (
    select ix, city, lon, lat, coalesce(geo_precision = 'exact', false) as exact
    from filtered_institutions($cities, $include_illustrative)
    where id = $base_id and type = 'base'
),
linked as (  -- the base's partners
    select b_ix as ix from agreement_facts
    where a_ix = (select ix from base) and ($include_illustrative or not illustrative)
    union
    select a_ix from agreement_facts
    where b_ix = (select ix from base) and ($include_illustrative or not illustrative)
),
candidates as (
    select s.id as school_id, s.ix, s.name_zh, s.name_en, s.subtype as stage, s.city, s.district_code,
           s.geo_precision, s.provenance, s.illustrative, s.city = b.city as same_city,
           round(haversine_km(b.lat, b.lon, s.lat, s.lon), 1) as distance_km,
           not (b.exact and coalesce(s.geo_precision = 'exact', false)) as approximate
    from filtered_institutions($cities, $include_illustrative) s
    cross join base b
    where s.type = 'school'
      and list_contains($stages, s.subtype)
      and s.ix not in (select ix from linked)
      and ($scope = 'any' or ($scope = 'same') = (s.city = b.city))
),
in_reach as materialized (
    select * from candidates where distance_km <= $max_km
),
-- Partners are counted only where they can decide a place among the first $top: the schools
-- up to the $top-th nearest distance (those at it included, as partners break their tie).
-- Counting every school's distinct partners cost more than the rest of the query together.
listed as materialized (
    select * from in_reach
    where distance_km <= (select max(distance_km)
                          from (select distance_km from in_reach order by distance_km limit $top))
),
school_ends as (  -- each agreement of a listed school seen from its school side(s)
    select a_ix as ix, b_ix as other from agreement_facts
    where a_type = 'school' and ($include_illustrative or not illustrative)
      and a_ix in (select ix from listed)
    union all
    select b_ix, a_ix from agreement_facts
    where b_type = 'school' and ($include_illustrative or not illustrative)
      and b_ix in (select ix from listed)
),
partners as (
    select ix, count(distinct other) as partners from school_ends group by ix
),
with_partners as (
    select c.* exclude (ix), coalesce(p.partners, 0) as partners
    from listed c
    left join partners p using (ix)
),
final as (
    select row_number() over (order by distance_km, partners, school_id) as rank,
           c.*, d.name_zh as district_zh, d.name_en as district_en,
           (select count(*) from in_reach) as total
    from with_partners c
    left join districts d using (district_code)
    qualify rank <= $top
)
select * from final
order by rank
