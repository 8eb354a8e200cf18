-- Illustrative records that the current filters would show (drives the badge).
with inst as (
    select count(*) as n from filtered_institutions($cities, true) where illustrative
),
agr as (
    select coalesce(sum(agreements), 0)::bigint as n
    from filtered_pair_counts($year_from, $year_to, $cities, $kinds, true)
    where illustrative
),
final as (
    select inst.n + agr.n as illustrative from inst, agr
)
select * from final
