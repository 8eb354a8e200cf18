-- Map: institutions located in a district, with their partners and agreements under the shared filters. At most $limit: bases and schools take turns by rank (most agreements first), so neither type crowds the other out; `total` counts them all. Institutions known only to city level are in map_city_level.
with inst as (
    select id, ix, type, subtype, name_zh, name_en, city, district_code, lon, lat, illustrative
    from filtered_institutions($cities, $include_illustrative)
    where district_code is not null
),
counts as (
    select id, sum(agreements) as agreements
    from filtered_institution_counts($year_from, $year_to, $cities, $kinds, $include_illustrative)
    group by id
),
ranked as (
    select i.*, coalesce(c.agreements, 0)::bigint as agreements,
           row_number() over (partition by i.type order by coalesce(c.agreements, 0) desc, i.id)
               as rank_in_type,
           count(*) over () as total
    from inst i
    left join counts c using (id)
),
shown as (
    select * from ranked order by rank_in_type, type, id limit $limit
),
partners as (  -- the shown institutions only: distinct partners need their agreements
    select ix, count(distinct partner_ix) as partners
    from agreement_ends($year_from, $year_to, $cities, $kinds, $include_illustrative)
    where ix in (select ix from shown)
    group by ix
),
final as (
    select s.id, s.type, s.subtype, s.name_zh, s.name_en, s.city, s.district_code,
           d.name_zh as district_zh, d.name_en as district_en, s.lon, s.lat, s.illustrative,
           coalesce(p.partners, 0)::bigint as partners, s.agreements, s.total
    from shown s
    left join partners p using (ix)
    left join districts d using (district_code)
)
select * from final order by partners desc, agreements desc, id
