-- Compare page gap: districts that have bases, none of which has a base_school agreement in the
-- selected years (and kinds). Bases known only to city level are in no district.
with inst as (
    select id, type, district_code
    from filtered_institutions($cities, $include_illustrative)
    where district_code is not null
),
per_district as (
    select district_code,
           count(*) filter (where type = 'base') as bases,
           count(*) filter (where type = 'school') as schools
    from inst
    group by district_code
),
agr as (
    select kind, a_type, b_type, a_district, b_district, agreements as n
    from filtered_pair_counts($year_from, $year_to, $cities, $kinds, $include_illustrative)
),
base_ends as (  -- each agreement at the district of each base that signed it, counted once
                -- when both parties are bases of the same district
    select kind = 'base_school' as base_school, a_district as district_code, n as weight, n
    from agr where a_type = 'base' and a_district is not null
    union all
    select false, b_district,  -- party B of a base_school agreement is the school, not a base
           case when a_type = 'base' and a_district = b_district then 0 else n end, n
    from agr where b_type = 'base' and b_district is not null
),
base_agreements as (
    select district_code, sum(weight)::bigint as agreements,
           coalesce(sum(n) filter (where base_school), 0) as base_school
    from base_ends
    group by district_code
),
final as (
    select d.district_code, d.name_zh, d.name_en, d.city, pd.bases, pd.schools,
           coalesce(ba.agreements, 0) as base_agreements,
           case when d.population > 0 then d.population end as population
    from per_district pd
    join districts d using (district_code)
    left join base_agreements ba using (district_code)
    where pd.bases > 0 and coalesce(ba.base_school, 0) = 0
)
select * from final
order by bases desc, district_code
