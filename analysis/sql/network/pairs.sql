-- Network: agreements under the shared filters summed per unordered institution pair (the edges the graph library sees). a < b are node numbers as in network/nodes (rank by id).
with agreements_ as (
    select least(party_a_id, party_b_id) as a_id, greatest(party_a_id, party_b_id) as b_id,
           illustrative, cross_city
    from filtered_agreements($year_from, $year_to, $cities, $kinds, $include_illustrative)
),
parties as (
    select id, (row_number() over (order by id) - 1)::integer as ix
    from (select a_id as id from agreements_ union select b_id from agreements_)
),
final as (
    select pa.ix as a, pb.ix as b, count(*)::integer as agreements,
           (count(*) filter (where g.illustrative))::integer as illustrative_agreements,
           bool_or(g.cross_city) as cross_city
    from agreements_ g
    join parties pa on pa.id = g.a_id
    join parties pb on pb.id = g.b_id
    group by pa.ix, pb.ix
)
select * from final order by a, b
