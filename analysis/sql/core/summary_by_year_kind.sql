-- All agreements per signing year and kind, for `python -m analysis summary`.
with final as (
    select year, kind, count(*) as agreements,
           count(*) filter (where illustrative) as illustrative
    from agreement_facts
    group by year, kind
)
select * from final order by year, kind
