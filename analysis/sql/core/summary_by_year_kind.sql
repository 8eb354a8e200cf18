-- All agreements per signing year and kind, for `python -m analysis summary`.
with final as (
    select year, kind, sum(agreements)::bigint as agreements,
           coalesce(sum(agreements) filter (where illustrative), 0)::bigint as illustrative
    from pair_counts
    group by year, kind
)
select * from final order by year, kind
