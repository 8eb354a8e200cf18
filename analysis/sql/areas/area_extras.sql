-- Compare page: the figures the map's density metrics do not have, per city and district of the
-- chosen cities: cross-city agreements touching the area, and schools reached (distinct schools
-- in base_school agreements with the area's bases). One row per area and period: the whole year
-- range (year is null) and each single year from the one before the range's end to its end.
-- Rows that would be all zero are left out.
with cross_pairs as (  -- few rows: aggregate before fanning out to areas
    select year, a_city, b_city, a_district, b_district, sum(agreements) as n
    from filtered_pair_counts(least($year_from, $year_to - 1), $year_to, $cities, $kinds,
                              $include_illustrative)
    where cross_city
    group by all
),
-- The two ends of a cross-city agreement are in different cities, so in different districts:
-- adding up ends counts each agreement once per area.
cross_ends as materialized (
    select year, 'city' as area_type, a_city as area_id, n from cross_pairs
    union all
    select year, 'city', b_city, n from cross_pairs
    union all
    select year, 'district', a_district, n from cross_pairs where a_district is not null
    union all
    select year, 'district', b_district, n from cross_pairs where b_district is not null
),
cross_counts as (
    select area_type, area_id, year, sum(n) as cross_city, 0 as schools_reached
    from cross_ends group by all
    union all
    select area_type, area_id, null, sum(n), 0
    from cross_ends where year >= $year_from group by all
),
base_school as materialized (  -- party A of a base_school agreement is the base, party B the school
    select year, a_city, a_district, school_id
    from school_reach
    where year between least($year_from, $year_to - 1) and $year_to
      and (list_contains($cities, a_city) or list_contains($cities, b_city))
      and list_contains($kinds, 'base_school')
      and ($include_illustrative or not illustrative)
),
reach_counts as (
    select 'city' as area_type, a_city as area_id, year, 0 as cross_city,
           count(distinct school_id) as schools_reached
    from base_school group by all
    union all
    select 'city', a_city, null, 0, count(distinct school_id)
    from base_school where year >= $year_from group by all
    union all
    select 'district', a_district, year, 0, count(distinct school_id)
    from base_school where a_district is not null group by all
    union all
    select 'district', a_district, null, 0, count(distinct school_id)
    from base_school where a_district is not null and year >= $year_from group by all
),
final as (  -- group by, not a join, so the whole-range rows (year null) match too
    select area_type, area_id, year, sum(cross_city)::bigint as cross_city,
           sum(schools_reached)::bigint as schools_reached
    from (select * from cross_counts union all select * from reach_counts)
    group by all
)
select * from final
order by area_type, area_id, year nulls first
