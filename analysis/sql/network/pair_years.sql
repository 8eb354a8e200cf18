-- Network growth: agreements under the shared filters per unordered institution pair and year (node numbers a < b, rank by id among the parties of the whole range, as in network/nodes).
with agreements_ as (
    select year::integer as year, least(party_a_id, party_b_id) as a_id,
           greatest(party_a_id, party_b_id) as b_id, cross_city
    from filtered_agreements($year_from, $year_to, $cities, $kinds, $include_illustrative)
),
parties as (
    select id, (row_number() over (order by id) - 1)::integer as ix
    from (select a_id as id from agreements_ union select b_id from agreements_)
),
final as (
    select g.year, pa.ix as a, pb.ix as b, count(*)::integer as agreements,
           bool_or(g.cross_city) as cross_city
    from agreements_ g
    join parties pa on pa.id = g.a_id
    join parties pb on pb.id = g.b_id
    group by g.year, pa.ix, pb.ix
)
select * from final order by year, a, b
