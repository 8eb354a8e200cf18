-- Network growth (cumulative): each unordered institution pair under the shared filters with the year of its first agreement (node numbers a < b, rank by id among the parties of the whole range, as in network/nodes), oldest first.
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
    select min(g.year) as year, pa.ix as a, pb.ix as b, bool_or(g.cross_city) as cross_city
    from agreements_ g
    join parties pa on pa.id = g.a_id
    join parties pb on pb.id = g.b_id
    group by pa.ix, pb.ix
)
select * from final order by year, a, b
