-- Compare page gap: districts with schools but no base within $max_km of any of them.
-- For each listed district: its school nearest to a base, that base and the distance.
-- Schools known only to city level are in no district; coordinates that are not exact
-- (district centroid, city centre) make a distance approximate.
with inst as materialized (
    select id, type, name_zh, name_en, district_code, lon, lat,
           coalesce(geo_precision = 'exact', false) as exact
    from filtered_institutions($cities, $include_illustrative)
),
schools as (
    select * from inst where type = 'school' and district_code is not null
),
bases as (
    select * from inst where type = 'base'
),
-- Is there a base within $max_km of some school of the district? First, with no distance
-- computed: cells so small that any two points in one are within $max_km (a path along a
-- meridian, then along a parallel, is at most half of it on each leg). Where schools and bases
-- are many, this settles nearly every district, and what follows sees only the others.
fine as (
    select d / 2 / km_per_degree() as dlat,
           d / 2 / (km_per_degree() * cos(radians(min_abs_lat))) as dlon
    from (select min(abs(lat)) as min_abs_lat from inst),
         (select $max_km * 0.999 as d)  -- a margin for rounding
),
near_cell as materialized (
    select distinct s.district_code
    from (select distinct district_code, floor(lat / dlat)::bigint as gy, floor(lon / dlon)::bigint as gx
          from schools, fine) s
    join (select distinct floor(lat / dlat)::bigint as gy, floor(lon / dlon)::bigint as gx
          from bases, fine) b using (gy, gx)
),
-- Then at the distance: grid cells at least r km wide on the same sphere (a degree of longitude
-- is shortest at the largest latitude; 0.1% wider, as a great circle between two points is a
-- little shorter than their parallel) put every base within r km of a school in the school's
-- cell or one of the eight around it: an equi-join, not a range join. Two passes keep the join
-- small: r = 3 km settles most districts; only the schools of the other districts are checked
-- at the full distance.
cells as (
    select pass, r, r * 1.001 / km_per_degree() as dlat,
           r * 1.001 / (km_per_degree() * cos(radians(max_abs_lat))) as dlon
    from (select max(abs(lat)) as max_abs_lat from inst),
         (select 1 as pass, least($max_km, 3.0) as r union all select 2, $max_km)
),
base_cells as (  -- each base in its own cell and the eight neighbours, for both passes
    select c.pass, b.lat, b.lon,
           floor(b.lat / c.dlat)::bigint + dy as gy, floor(b.lon / c.dlon)::bigint + dx as gx
    from bases b, cells c, (select unnest([-1, 0, 1]) as dy), (select unnest([-1, 0, 1]) as dx)
),
school_cells as (
    select c.pass, c.r, s.district_code, s.lat, s.lon,
           floor(s.lat / c.dlat)::bigint as gy, floor(s.lon / c.dlon)::bigint as gx
    from schools s, cells c
    where s.district_code not in (select district_code from near_cell)
),
near_first as materialized (
    select distinct s.district_code
    from school_cells s
    join base_cells b using (pass, gy, gx)
    where s.pass = 1 and haversine_km(s.lat, s.lon, b.lat, b.lon) <= s.r
),
unsettled as materialized (  -- schools of the districts the first passes did not settle
    select * from school_cells
    where pass = 2 and district_code not in (select district_code from near_first)
),
near_districts as (
    select district_code from near_cell
    union
    select district_code from near_first
    union
    select s.district_code
    from unsettled s
    join base_cells b using (pass, gy, gx)
    where haversine_km(s.lat, s.lon, b.lat, b.lon) <= s.r
),
far_districts as (
    select district_code, count(*) as schools
    from schools
    where district_code not in (select district_code from near_districts)
    group by district_code
),
pairs as (  -- only the schools of far districts, against every base
    select s.district_code, s.exact and b.exact as exact, b.id as base_id,
           b.name_zh as base_zh, b.name_en as base_en,
           haversine_km(s.lat, s.lon, b.lat, b.lon) as km
    from schools s
    join far_districts f using (district_code)
    cross join bases b
),
nearest as (
    select district_code, min(km) as nearest_km,
           arg_min({'base_id': base_id, 'base_zh': base_zh, 'base_en': base_en, 'exact': exact},
                   {'km': km, 'base_id': base_id}) as pick
    from pairs
    group by district_code
),
final as (
    select d.district_code, d.name_zh, d.name_en, d.city, f.schools,
           round(n.nearest_km, 1) as nearest_base_km, n.pick.base_id as nearest_base_id,
           n.pick.base_zh as nearest_base_zh, n.pick.base_en as nearest_base_en,
           not n.pick.exact as approximate,
           case when d.population > 0 then d.population end as population
    from far_districts f
    join districts d using (district_code)
    left join nearest n using (district_code)
)
select * from final
order by nearest_base_km desc nulls first, district_code
